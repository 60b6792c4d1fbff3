const units: Record<string, number> = { m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** "now", "2h ago", "30m ago", "1d ago", or an ISO 8601 time → ISO string; undefined otherwise. */
export function parseFriendlyTime(text: string, now: number): string | undefined {
  const input = text.trim().toLowerCase();
  if (input === 'now') return new Date(now).toISOString();
  const ago = /^(\d+(?:\.\d+)?)\s*(m|min|h|d)\s+ago$/.exec(input);
  if (ago) return new Date(now - Number(ago[1]) * units[ago[2]!]!).toISOString();
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(text.trim())) {
    const time = Date.parse(text.trim());
    return Number.isNaN(time) ? undefined : new Date(time).toISOString();
  }
  return undefined;
}
