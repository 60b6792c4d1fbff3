// What each review screen lists (title, columns, rows), built once per screen and data.
import type { ReviewData } from '../../services/review.js';
import { findFeature } from './feature-detail.js';
import { screenKey, type Screen } from './review-state.js';
import {
  featureColumns,
  featureRows,
  filterRows,
  flowColumns,
  flowRows,
  incidentColumns,
  incidentRows,
  runColumns,
  runRows,
  testColumns,
  testRows,
  type Column,
  type Row,
} from './rows.js';

export function screenView(
  data: ReviewData,
  screen: Screen,
  verificationEnv: string,
): { title: string; columns: readonly Column[]; rows: Row[]; empty: string } {
  switch (screen.kind) {
    case 'flows':
      return {
        title: 'Flows',
        columns: flowColumns,
        rows: flowRows(data),
        empty: 'no flows yet: verigap flows add <id> --name … --paths …',
      };
    case 'incidents':
      return {
        title: 'Incidents',
        columns: incidentColumns,
        rows: incidentRows(data.incidents, data.now),
        empty: 'no incidents recorded: verigap incident new',
      };
    case 'unmapped':
      return {
        title: 'Unmapped changes',
        columns: featureColumns,
        rows: featureRows(data.unmapped, null, data.now),
        empty: 'every feature touches a flow',
      };
    case 'feature': {
      const verdict = findFeature(data, screen.sha, screen.flowId);
      const from =
        screen.flowId === null
          ? 'Unmapped changes'
          : `Flows › ${data.flows.find((f) => f.flow.id === screen.flowId)?.flow.name ?? screen.flowId}`;
      return {
        title: `${from} › ${screen.sha.slice(0, 7)}`,
        columns: featureColumns,
        rows: verdict ? featureRows([verdict], screen.flowId, data.now) : [],
        empty: 'this change is no longer in the window',
      };
    }
    case 'incident': {
      const incident = data.incidents.find((i) => i.id === screen.incidentId);
      return {
        title: `Incidents › ${screen.incidentId}`,
        columns: incidentColumns,
        rows: incident ? incidentRows([incident], data.now) : [],
        empty: 'this incident is gone',
      };
    }
    case 'flow': {
      const flow = data.flows.find((f) => f.flow.id === screen.flowId);
      const title = `Flows › ${flow?.flow.name ?? screen.flowId}`;
      if (!flow) return { title, columns: featureColumns, rows: [], empty: 'this flow is gone' };
      if (screen.tab === 'tests')
        return {
          title,
          columns: testColumns,
          rows: testRows(flow),
          empty: `no E2E spec: add one under flows/${flow.flow.id}/`,
        };
      if (screen.tab === 'runs')
        return {
          title,
          columns: runColumns,
          rows: runRows(flow, verificationEnv, data.now),
          empty: 'no verification run includes this flow: verigap verify ingest',
        };
      return {
        title,
        columns: featureColumns,
        rows: featureRows(flow.features, flow.flow.id, data.now),
        empty: 'no feature touched this flow in the window',
      };
    }
    case 'run': {
      const name = data.flows.find((f) => f.flow.id === screen.flowId)?.flow.name ?? screen.flowId;
      return {
        title: `Flows › ${name} › run ${screen.commit.slice(0, 7)} in ${screen.env}`,
        columns: runColumns,
        rows: [],
        empty: 'this run is no longer in the window',
      };
    }
  }
}

/** Rows of each screen and of the last filter asked for, so moving the cursor over 10,000 rows rebuilds nothing. */
export function viewCache(verificationEnv: string) {
  // every screen seen since the last reload: esc from a feature's screen back to 10,000 rows rebuilds none
  let built: { data: ReviewData; views: Map<string, ReturnType<typeof screenView>> } | undefined;
  let lastRows: { view: ReturnType<typeof screenView>; filter: string; rows: readonly Row[] } | undefined;
  const view = (data: ReviewData, screen: Screen) => {
    if (built?.data !== data) built = { data, views: new Map() };
    const key = screenKey(screen);
    let found = built.views.get(key);
    if (!found) built.views.set(key, (found = screenView(data, screen, verificationEnv)));
    return found;
  };
  return {
    view,
    rows(data: ReviewData, screen: Screen, filter: string): readonly Row[] {
      const v = view(data, screen);
      if (lastRows?.view !== v || lastRows.filter !== filter)
        lastRows = { view: v, filter, rows: filterRows(v.rows, filter) };
      return lastRows.rows;
    },
  };
}
