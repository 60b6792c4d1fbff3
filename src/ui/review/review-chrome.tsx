// The review's header, the flow header and the footer: what frames every screen.
import { Box, Text } from 'ink';
import { type ReactNode } from 'react';
import type { ReviewData } from '../../services/review.js';
import { EditLine } from '../edit-line.js';
import { listHint, windowText } from './review-keys.js';
import { flowTabs, type ReviewState, type Screen } from './review-state.js';
import { age } from './rows.js';

export function Header({
  data,
  screen,
  title,
  width,
  days,
}: {
  data: ReviewData;
  screen: Screen;
  title: string;
  width: number;
  days: number | null;
}): ReactNode {
  const root = screen.kind === 'flows' || screen.kind === 'incidents';
  const since =
    days === null
      ? 'features of all history'
      : `features of the ${windowText(days)} (since ${new Date(data.since).toISOString().slice(0, 10)})`;
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate">
        {`verigap review · ${data.branch} · ${since} · ${data.flows.length} flows · ${data.incidents.length} incidents`.slice(
          0,
          width,
        )}
      </Text>
      {data.branch_check && root ? (
        <Text wrap="truncate">
          {`this branch against ${data.branch_check.baseRef}: `}
          <Text bold color={data.branch_check.result.verdict}>
            {data.branch_check.result.verdict}
          </Text>
          {` · ${data.branch_check.reason.replaceAll('`', '')}`}
        </Text>
      ) : null}
      {root ? (
        <Text wrap="truncate">
          {(['flows', 'incidents'] as const).map((tab) => (
            <Text
              key={tab}
              {...(screen.kind === tab ? { inverse: true, bold: true } : { dimColor: true })}
            >{` ${tab === 'flows' ? 'Flows' : 'Incidents'} `}</Text>
          ))}
          <Text dimColor>{'  tab switches · [ ] window · ? help'}</Text>
        </Text>
      ) : (
        <Text bold color="cyan" wrap="truncate">
          {title}
        </Text>
      )}
    </Box>
  );
}

export function FlowHeader({
  data,
  screen,
}: {
  data: ReviewData;
  screen: Extract<Screen, { kind: 'flow' }>;
}): ReactNode {
  const flow = data.flows.find((f) => f.flow.id === screen.flowId);
  if (!flow) return <Text> </Text>;
  const { verified, covered, uncovered, waived } = flow.counts;
  const counts = { features: flow.features.length, tests: flow.tests.length, runs: flow.runs.length };
  return (
    <Box flexDirection="column">
      <Text wrap="truncate" dimColor>
        {`${flow.flow.id} · ${flow.flow.criticality}${flow.flow.owner ? ` · ${flow.flow.owner}` : ''} · paths ${flow.flow.paths.join(', ') || '—'} · `}
        <Text color="green">{verified} verified</Text> · <Text color="cyan">{covered} covered</Text> ·{' '}
        <Text color="red">{uncovered} uncovered</Text> · {waived} waived · last verified{' '}
        {age(flow.lastVerifiedAt, data.now)}
      </Text>
      <Text wrap="truncate">
        {flowTabs.map((tab) => (
          <Text
            key={tab}
            {...(screen.tab === tab ? { inverse: true, bold: true } : { dimColor: true })}
          >{` ${tab[0]!.toUpperCase()}${tab.slice(1)} ${counts[tab]} `}</Text>
        ))}
      </Text>
    </Box>
  );
}

const hints: Partial<Record<Screen['kind'], string>> = {
  // fits 110 columns; ? lists every key
  feature: 'esc back · w waive it for one of its flows · ? help · q quit',
  run: 'esc back · ? help · q quit',
};

export function Footer({
  state,
  filter,
  shown,
  total,
  width,
  screen,
}: {
  state: ReviewState;
  filter: string;
  shown: number;
  total: number;
  width: number;
  screen: Screen['kind'];
}): ReactNode {
  const onFeature = screen === 'feature';
  const { mode, message } = state;
  let prompt: ReactNode;
  if (mode.kind === 'filter')
    prompt = (
      <Text>
        /
        <Text bold>
          <EditLine value={filter} cursor={state.cursor} />
        </Text>
        <Text dimColor>{'  enter keeps · esc clears'}</Text>
      </Text>
    );
  else if (mode.kind === 'waive') {
    prompt = (
      <Text wrap="truncate">
        Waive <Text bold>{mode.sha.slice(0, 7)}</Text> for {mode.flowId}, reason:{' '}
        <Text bold>
          <EditLine value={mode.reason} cursor={state.cursor} />
        </Text>
        {mode.error ? (
          <Text color="red">{`  ${mode.error}`}</Text>
        ) : (
          <Text dimColor>{'  enter saves · esc cancels'}</Text>
        )}
      </Text>
    );
  } else if (mode.kind === 'waive-flow')
    prompt = (
      <Text dimColor wrap="truncate">
        ↑↓ or 1-9 picks the flow · enter asks the reason · esc cancels
      </Text>
    );
  else if (mode.kind === 'busy') prompt = <Text color="yellow">{mode.title}</Text>;
  else if (message)
    prompt = (
      <Text color={message.tone === 'ok' ? 'green' : 'red'} wrap="truncate">
        {message.text}
      </Text>
    );
  else if (screen === 'run') prompt = <Text dimColor>the run as its note recorded it</Text>;
  else if (onFeature) prompt = <Text dimColor>each flow judges the change by its own tests, runs and waivers</Text>;
  else
    prompt = filter ? (
      <Text dimColor>
        filter “{filter}”: {shown} of {total} rows · esc clears
      </Text>
    ) : (
      <Text dimColor>{`${total} rows`}</Text>
    );
  return (
    <Box flexDirection="column">
      <Box width={width}>{prompt}</Box>
      <Text dimColor wrap="truncate">
        {hints[screen] ?? listHint}
      </Text>
    </Box>
  );
}
