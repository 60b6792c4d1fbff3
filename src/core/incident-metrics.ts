import type { Incident } from './incident.js';
import { percentile, HOUR } from './percentile.js';
import type { RegressionState } from './regression-state.js';

/** What the report knows of an incident beyond its file. */
export interface IncidentFacts {
  incident: Incident;
  state: RegressionState;
  /** Why its regression test no longer protects the flow, when it does not. */
  unprotected: 'deleted' | 'skipped' | 'assertion-removed' | null;
  /** introduced_by from the file, or inferred from fixed_by (SZZ, src/core/szz.ts); null when neither. */
  introducedBy: { sha: string; inferred: boolean } | null;
}

export interface IncidentSummary {
  total: number;
  with_test: number;
  proven: number;
  without_test: string[];
  ttd_p50_hours: number | null;
  ttr_p50_hours: number | null;
  repeats: number;
  unprotected: { id: string; reason: string; test: string }[];
  items: {
    id: string;
    title: string;
    severity: string;
    flows: string[];
    started_at: string;
    regression_state: RegressionState;
    ttd_hours: number | null;
    ttr_hours: number | null;
    introduced_by: { sha: string; inferred: boolean } | null;
    repeat: boolean;
  }[];
}

const hoursBetween = (from: string, to: string | undefined) => (to ? (Date.parse(to) - Date.parse(from)) / HOUR : null);

/** Incidents whose started_at is in [since, until); repeats and unprotected look at every incident. */
export function summarizeIncidents(all: readonly IncidentFacts[], since: number, until: number): IncidentSummary {
  const inWindow = all.filter(({ incident }) => {
    const started = Date.parse(incident.started_at);
    return since <= started && started < until;
  });
  const isRepeat = ({ incident }: IncidentFacts) =>
    all.some((earlier) => {
      const proof = earlier.incident.regression?.proof;
      return (
        earlier.incident.id !== incident.id &&
        proof !== undefined &&
        Date.parse(proof.at) < Date.parse(incident.started_at) &&
        earlier.incident.flows.some((flow) => incident.flows.includes(flow))
      );
    });
  const items = inWindow.map((facts) => ({
    id: facts.incident.id,
    title: facts.incident.title,
    severity: facts.incident.severity,
    flows: facts.incident.flows,
    started_at: facts.incident.started_at,
    regression_state: facts.state,
    ttd_hours: hoursBetween(facts.incident.started_at, facts.incident.detected_at),
    ttr_hours: hoursBetween(facts.incident.started_at, facts.incident.resolved_at),
    introduced_by: facts.introducedBy,
    repeat: isRepeat(facts),
  }));
  const numbers = (values: (number | null)[]) => values.filter((v): v is number => v !== null);
  return {
    total: items.length,
    with_test: items.filter((i) => i.regression_state !== 'none').length,
    proven: inWindow.filter((f) => f.incident.regression?.proof).length,
    without_test: items.filter((i) => i.regression_state === 'none').map((i) => i.id),
    ttd_p50_hours: percentile(numbers(items.map((i) => i.ttd_hours)), 50),
    ttr_p50_hours: percentile(numbers(items.map((i) => i.ttr_hours)), 50),
    repeats: items.filter((i) => i.repeat).length,
    unprotected: all
      .filter((f) => f.unprotected)
      .map((f) => ({ id: f.incident.id, reason: f.unprotected!, test: f.incident.regression?.test ?? '' })),
    items,
  };
}
