import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { ReviewData, ReviewRun } from '../../services/review.js';
import type { Screen } from './review-state.js';
import { age } from './rows.js';

type RunScreen = Extract<Screen, { kind: 'run' }>;

/** The run a run's screen was opened on, in the data as it is now (a reload may have dropped it from the window). */
export function findRun(data: ReviewData, screen: RunScreen): ReviewRun | undefined {
  return data.flows
    .find((flow) => flow.flow.id === screen.flowId)
    ?.runs.find((run) => run.env === screen.env && run.commit === screen.commit && run.at === screen.at);
}

/** One verification run: its commit, environment, when, its URL, and the tests of each flow it included. */
export function RunDetail({
  run,
  flowId,
  data,
  verificationEnv,
  height,
}: {
  run: ReviewRun;
  flowId: string;
  data: ReviewData;
  verificationEnv: string;
  height: number;
}): ReactNode {
  const line = (label: string, value: ReactNode) => (
    <Text wrap="truncate">
      <Text dimColor>{label.padEnd(12)}</Text>
      {value}
    </Text>
  );
  const env = run.env === verificationEnv ? run.env : `${run.env} (not ${verificationEnv}: it verifies nothing here)`;
  const flowName = (id: string) => data.flows.find((flow) => flow.flow.id === id)?.flow.name;
  const shown = run.flows.slice(0, Math.max(1, height - 6));
  return (
    <Box flexDirection="column" height={height + 1}>
      {line('commit', run.commit)}
      {line('environment', env)}
      {line('at', `${new Date(run.at).toISOString().slice(0, 16).replace('T', ' ')} (${age(run.at, data.now)} ago)`)}
      {line('URL', run.url ?? '— (the run recorded no URL)')}
      <Text dimColor>
        {'tests'.padEnd(12)}
        {'FLOW'.padEnd(28)}PASSED FAILED FLAKY SKIPPED
      </Text>
      {shown.map((counts) => (
        <Text key={counts.flowId} wrap="truncate" bold={counts.flowId === flowId}>
          {''.padEnd(12)}
          {`${counts.flowId}${flowName(counts.flowId) ? ` (${flowName(counts.flowId)})` : ''}`.slice(0, 27).padEnd(28)}
          <Text color={counts.passed ? 'green' : undefined}>{String(counts.passed).padEnd(8)}</Text>
          <Text color={counts.failed ? 'red' : undefined}>{String(counts.failed).padEnd(8)}</Text>
          {String(counts.flaky).padEnd(7)}
          {counts.skipped}
        </Text>
      ))}
      {run.flows.length > shown.length ? (
        <Text dimColor>
          {''.padEnd(12)}
          {`… ${run.flows.length - shown.length} more flow(s)`}
        </Text>
      ) : null}
    </Box>
  );
}
