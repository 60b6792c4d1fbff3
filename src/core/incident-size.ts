import { thousands } from './thousands.js';
/**
 * The largest incident verigap reads (256 KB): a report, its steps and an error fit many times over;
 * a pasted log or HAR file does not belong in a prompt. A larger one is refused before anything else.
 */
export const incidentSizeLimit = 256 * 1024;

const kilobytes = (bytes: number) => `${thousands(Math.ceil(bytes / 1024))} KB`;

/** Why an incident of `bytes` is refused, naming its file, its size and the limit; undefined when it fits. */
export function oversizedIncident(file: string, bytes: number): { message: string; hint: string } | undefined {
  if (bytes <= incidentSizeLimit) return undefined;
  return {
    message: `${file} is ${kilobytes(bytes)} (${thousands(bytes)} bytes), over the ${kilobytes(incidentSizeLimit)} limit for an incident`,
    hint: 'keep the report, the steps and the error in it; link logs, HAR files and screenshots instead of pasting them',
  };
}
