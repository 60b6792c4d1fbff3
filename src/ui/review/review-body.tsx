// The body of each review screen: the tables, the details and the stage progress.
import { Box, Text } from 'ink';
import { type ReactNode } from 'react';
import type { ReviewData } from '../../services/review.js';
import type { Stage, StageEvent } from '../../core/stages.js';
import { ListView } from '../list-view.js';
import { visibleSlice } from '../list-window.js';
import { StageProgress } from '../stage-progress.js';
import { FeatureDetail } from './feature-detail.js';
import { KeyHelp } from './key-help.js';
import { RunDetail, findRun } from './run-detail.js';
import { current, positionOf, type ReviewState } from './review-state.js';
import { age, stateColor, statusColor, type Row } from './rows.js';
import type { screenView } from './review-views.js';

export function Body({
  state,
  view,
  rows,
  height,
  width,
  flows,
  progress,
  data,
  verificationEnv,
}: {
  state: ReviewState;
  view: ReturnType<typeof screenView>;
  rows: readonly Row[];
  height: number;
  width: number;
  flows: readonly { id: string; name: string }[];
  progress: Partial<Record<Stage, StageEvent>>;
  data: ReviewData;
  verificationEnv: string;
}): ReactNode {
  const { mode } = state;
  const box = (children: ReactNode) => (
    <Box flexDirection="column" height={height + 1}>
      {children}
    </Box>
  );
  if (mode.kind === 'help') return <KeyHelp height={height} width={width} />;
  if (mode.kind === 'map') {
    return box(
      <>
        <Text wrap="truncate">
          Map the paths of <Text bold>{mode.sha.slice(0, 7)}</Text> “{mode.subject}” to which flow?
        </Text>
        {visibleSlice(flows, { cursor: mode.cursor, offset: 0 }, height - 1).rows.map((flow) => {
          const selected = flows[mode.cursor]?.id === flow.id;
          return <Text key={flow.id} inverse={selected}>{`${selected ? '› ' : '  '}${flow.name} (${flow.id})`}</Text>;
        })}
      </>,
    );
  }
  if (mode.kind === 'waive-flow') {
    const chooser = visibleSlice(mode.flows, { cursor: mode.cursor, offset: 0 }, height - 1);
    return box(
      <>
        <Text wrap="truncate">
          Waive <Text bold>{mode.sha.slice(0, 7)}</Text> “{mode.subject}” for which flow?
        </Text>
        {chooser.rows.map((flow, i) => {
          const index = chooser.first + i;
          const selected = index === mode.cursor;
          const name = flows.find((f) => f.id === flow.id)?.name;
          return (
            <Text key={flow.id} inverse={selected} wrap="truncate">
              {`${selected ? '› ' : '  '}${index < 9 ? index + 1 : ' '} ${flow.id}${name ? ` (${name})` : ''} · `}
              <Text color={statusColor[flow.status]}>{flow.status}</Text>
            </Text>
          );
        })}
      </>,
    );
  }
  if (mode.kind === 'busy' && mode.stages) {
    return box(
      <>
        <Text bold>{mode.title}</Text>
        <StageProgress events={progress} width={width} />
      </>,
    );
  }
  const screen = current(state);
  if (screen.kind === 'feature') {
    const verdict = view.rows[0]?.ref;
    if (verdict?.kind !== 'feature') return box(<Text dimColor>{view.empty}</Text>);
    return <FeatureDetail verdict={verdict.verdict} data={data} env={verificationEnv} height={height} />;
  }
  if (screen.kind === 'run') {
    const found = findRun(data, screen);
    if (!found) return box(<Text dimColor>{view.empty}</Text>);
    return (
      <RunDetail run={found} flowId={screen.flowId} data={data} verificationEnv={verificationEnv} height={height} />
    );
  }
  if (screen.kind === 'incident') {
    const incident = data.incidents.find((i) => i.id === screen.incidentId);
    if (!incident) return box(<Text dimColor>this incident is gone</Text>);
    const line = (label: string, value: ReactNode) => (
      <Text wrap="truncate">
        <Text dimColor>{label.padEnd(12)}</Text>
        {value}
      </Text>
    );
    return box(
      <>
        {line('title', incident.title)}
        {line('severity', incident.severity)}
        {line('status', incident.status)}
        {line('flows', incident.flows.join(', '))}
        {line(
          'started',
          `${new Date(incident.startedAt).toISOString().slice(0, 16).replace('T', ' ')} (${age(incident.startedAt, data.now)} ago)`,
        )}
        {line('fixed by', incident.fixedBy ?? '— (set fixed_by to prove the test)')}
        {line('regression', <Text color={stateColor[incident.state]}>{incident.state}</Text>)}
        {line('test', incident.test ?? '— press t to generate it')}
      </>,
    );
  }
  return (
    <ListView
      columns={view.columns}
      rows={rows}
      pos={positionOf(state)}
      height={height}
      width={width}
      empty={view.empty}
    />
  );
}
