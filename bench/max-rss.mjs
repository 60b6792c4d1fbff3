// Preloaded into a benchmarked Node process: writes its peak resident memory (KB) on exit.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  if (process.env.VERIGAP_RSS_FILE) writeFileSync(process.env.VERIGAP_RSS_FILE, String(process.resourceUsage().maxRSS));
});
