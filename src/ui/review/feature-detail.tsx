import { Box, Text } from 'ink';
import { useMemo, type ReactNode } from 'react';
import { testsAt, type FeatureVerdict, type FlowEvidence, type FlowStatus } from '../../core/features.js';
import type { ReviewData } from '../../services/review.js';
import { age, statusColor, type Color } from './rows.js';

/** One line of a feature's screen: a dim label, then the text. */
export interface DetailLine {
  label: string;
  text: string;
  color?: Color;
  bold?: boolean;
}

/** A flow lists at most this many of its test files, so the next flow stays on screen. */
const TESTS_SHOWN = 4;

const when = (at: number) => new Date(at).toISOString().slice(0, 16).replace('T', ' ');

/** The feature with this sha: in the flow it was opened from, else wherever it is now (a mapping moves it). */
export function findFeature(data: ReviewData, sha: string, flowId: string | null): FeatureVerdict | undefined {
  const match = (verdict: FeatureVerdict) => verdict.change.sha === sha;
  const from = flowId === null ? undefined : data.flows.find((flow) => flow.flow.id === flowId)?.features.find(match);
  if (from) return from;
  for (const flow of data.flows) {
    const found = flow.features.find(match);
    if (found) return found;
  }
  return data.unmapped.find(match);
}

const whyFlow: Record<FlowStatus, (env: string) => string> = {
  verified: (env) => `verified by a passing run in ${env}`,
  covered: (env) => `tested at its commit, not verified in ${env}`,
  uncovered: (env) => `no E2E test at its commit, not verified in ${env}`,
  waived: () => "left out of the feature's status",
};

function featureStatusWhy(verdict: FeatureVerdict): string {
  if (verdict.status === 'unmapped') return "it touches no flow's paths (m maps it to a flow)";
  if (verdict.status === 'waived') return 'waived for every flow it touches';
  const waived = verdict.flows.filter((flow) => flow.status === 'waived').length;
  return `the weakest of its ${verdict.flows.length - waived} flow(s) not waived${waived ? ` (${waived} waived)` : ''}`;
}

function flowLines(verdict: FeatureVerdict, evidence: FlowEvidence, data: ReviewData, env: string): DetailLine[] {
  const { change } = verdict;
  const name = data.flows.find((flow) => flow.flow.id === evidence.flowId)?.flow.name;
  const tests = testsAt(data.specs, evidence.flowId, change.seq);
  const lines: DetailLine[] = [
    { label: '', text: '' },
    {
      label: `${evidence.flowId}`,
      text: `${evidence.status}${name ? ` · ${name}` : ''} · ${whyFlow[evidence.status](env)}`,
      color: statusColor[evidence.status],
      bold: true,
    },
  ];
  if (tests.length === 0)
    lines.push({
      label: '  tests',
      text: `none: no E2E test of ${evidence.flowId} existed at ${change.sha.slice(0, 7)}`,
      color: 'red',
    });
  tests
    .slice(0, TESTS_SHOWN)
    .forEach((path, i) => lines.push({ label: i === 0 ? `  tests (${tests.length})` : '', text: path }));
  if (tests.length > TESTS_SHOWN)
    lines.push({ label: '', text: `… and ${tests.length - TESTS_SHOWN} more`, color: 'gray' });
  const pass = evidence.firstPass;
  if (pass) {
    lines.push({
      label: '  first run',
      text: `passed in ${pass.env} at ${when(pass.at)} (${age(pass.at, data.now)} ago), ${age(change.committedAt, pass.at)} after the merge`,
      color: 'green',
    });
    lines.push({ label: '', text: pass.runUrl ?? 'the run has no URL' });
  } else {
    lines.push({ label: '  runs', text: `no passing run in ${env} contains it` });
  }
  const waiver = evidence.waiver;
  if (waiver) {
    const written = data.waivers.find((w) => w.flowId === waiver.flowId && w.sha === waiver.sha);
    lines.push({
      label: '  waiver',
      text: `${waiver.sha} “${waiver.reason}”${written?.by ? ` by ${written.by}` : ''}${written?.at ? ` at ${when(Date.parse(written.at))}` : ''}`,
    });
  } else {
    lines.push({ label: '  waiver', text: 'none' });
  }
  return lines;
}

/** Why a feature has its status (SPEC §5): the change, then each affected flow's own evidence. Pure. */
export function explainFeature(verdict: FeatureVerdict, data: ReviewData, env: string): DetailLine[] {
  const { change } = verdict;
  return [
    { label: 'change', text: `${change.sha.slice(0, 7)} ${change.subject}`, bold: true },
    { label: 'PR', text: change.pr === null ? '—' : `#${change.pr}` },
    { label: 'committed', text: `${when(change.committedAt)} (${age(change.committedAt, data.now)} ago)` },
    { label: 'status', text: `${verdict.status}: ${featureStatusWhy(verdict)}`, color: statusColor[verdict.status] },
    ...verdict.flows.flatMap((evidence) => flowLines(verdict, evidence, data, env)),
  ];
}

/** A feature's screen; what does not fit says so rather than pushing the footer off. */
export function FeatureDetail({
  verdict,
  data,
  env,
  height,
}: {
  verdict: FeatureVerdict;
  data: ReviewData;
  env: string;
  height: number;
}): ReactNode {
  const lines = useMemo(() => explainFeature(verdict, data, env), [verdict, data, env]);
  const room = height + 1;
  const shown = lines.length > room ? lines.slice(0, room - 1) : lines;
  return (
    <Box flexDirection="column" height={room}>
      {shown.map((line, i) => (
        <Text key={i} wrap="truncate">
          <Text dimColor>{line.label.padEnd(14)}</Text>
          <Text bold={line.bold ?? false} {...(line.color ? { color: line.color } : {})}>
            {line.text}
          </Text>
        </Text>
      ))}
      {shown.length < lines.length ? (
        <Text dimColor>{`… ${lines.length - shown.length} more line(s): a taller terminal shows them`}</Text>
      ) : null}
    </Box>
  );
}
