/** The cron of the production workflow (SPEC §9): how often production is checked, from the flows' `schedule`. */
import { parseDuration } from './duration.js';

export interface ProductionCron {
  cron: string;
  /** Comment lines for the workflow: which flow set the pace, and any rounding. */
  comment: string[];
}

const minute = 60_000;
const hour = 60 * minute;
/** Intervals that divide an hour or a day: `*\/7` would fire at :56 and again at :00, four minutes apart. */
const everyMinutes = [30, 20, 15, 12, 10, 6, 5];
const everyHours = [12, 8, 6, 4, 3, 2, 1];

function cronOf(ms: number): { cron: string; every: string; step: string; ms: number } {
  if (ms >= 24 * hour) return { cron: '0 6 * * *', every: 'daily at 06:00 UTC', step: '24h', ms: 24 * hour };
  if (ms >= hour) {
    const hours = everyHours.find((h) => h * hour <= ms)!;
    return {
      cron: hours === 1 ? '0 * * * *' : `0 */${hours} * * *`,
      every: hours === 1 ? 'every hour' : `every ${hours}h`,
      step: `${hours}h`,
      ms: hours * hour,
    };
  }
  // 5 minutes is GitHub's shortest schedule (and flow.yaml's)
  const minutes = everyMinutes.find((m) => m * minute <= ms) ?? 5;
  return { cron: `*/${minutes} * * * *`, every: `every ${minutes}m`, step: `${minutes}m`, ms: minutes * minute };
}

/** The shortest `schedule` among the flows sets the cron; a schedule no cron can keep is rounded down (checked more often, never less). */
export function productionCron(flows: readonly { id: string; schedule?: string | undefined }[]): ProductionCron {
  const scheduled = flows
    .flatMap((flow) => {
      const ms = flow.schedule === undefined ? undefined : parseDuration(flow.schedule);
      return ms === undefined ? [] : [{ id: flow.id, schedule: flow.schedule!, ms }];
    })
    .sort((a, b) => a.ms - b.ms || a.id.localeCompare(b.id));
  const shortest = scheduled[0];
  if (!shortest) {
    return {
      cron: '0 * * * *',
      comment: [
        'every hour: no flow has a schedule (add e.g. `schedule: 15m` to flow.yaml, then regenerate this file)',
      ],
    };
  }
  const { cron, every, step, ms } = cronOf(shortest.ms);
  const comment = [`${every}: the shortest schedule, ${shortest.schedule} of flow ${shortest.id}`];
  if (ms !== shortest.ms)
    comment.push(`${shortest.schedule} is no interval a cron can keep evenly: rounded down to ${step}`);
  return { cron, comment };
}
