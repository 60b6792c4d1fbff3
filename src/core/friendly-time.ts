import { maxDurationMs } from './duration.js';
import { parseIsoTime } from './iso-time.js';

const units: Record<string, number> = { m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * "now", "2h ago", "30m ago", "1d ago" (at most 36500d), or an ISO 8601 time with its zone → ISO
 * string; undefined otherwise, also for a day the calendar does not have (2023-02-29).
 */
export function parseFriendlyTime(text: string, now: number): string | undefined {
  const input = text.trim().toLowerCase();
  if (input === 'now') return new Date(now).toISOString();
  const ago = /^(\d+(?:\.\d+)?)\s*(m|min|h|d)\s+ago$/.exec(input);
  if (ago) {
    const ms = Number(ago[1]) * units[ago[2]!]!;
    return ms <= maxDurationMs ? new Date(now - ms).toISOString() : undefined;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(text.trim())) return undefined;
  const parsed = parseIsoTime(text.trim());
  return parsed.ok ? new Date(parsed.time).toISOString() : undefined;
}
