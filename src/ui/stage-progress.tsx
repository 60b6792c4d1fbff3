import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { stages, type Stage, type StageEvent } from '../core/stages.js';

const look = {
  start: { icon: '…', color: 'yellow' },
  done: { icon: '✔', color: 'green' },
  failed: { icon: '✖', color: 'red' },
  skipped: { icon: '–', color: 'gray' },
} as const;

/** Keeps the latest event of each stage: what the progress list shows. */
export function recordStage(
  events: Partial<Record<Stage, StageEvent>>,
  event: StageEvent,
): Partial<Record<Stage, StageEvent>> {
  return { ...events, [event.stage]: event };
}

/** redact → ground → generate → check → run → prove → pr, each with its state, time and what it found. */
export function StageProgress({
  events,
  width,
}: {
  events: Partial<Record<Stage, StageEvent>>;
  width: number;
}): ReactNode {
  return (
    <Box flexDirection="column">
      {stages.map((name) => {
        const event = events[name];
        const { icon, color } = event ? look[event.status] : { icon: '·', color: 'gray' as const };
        const time = event?.ms === undefined ? '' : `${(event.ms / 1000).toFixed(1)} s`;
        const detail = (event?.detail ?? '').slice(0, Math.max(0, width - 24));
        return (
          <Text key={name}>
            <Text color={color}>{icon}</Text> {name.padEnd(9)}
            <Text dimColor>{time.padStart(7)}</Text>{' '}
            {event?.status === 'failed' ? <Text color="red">{detail}</Text> : detail}
          </Text>
        );
      })}
    </Box>
  );
}
