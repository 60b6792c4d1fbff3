import type { WaiverEntry } from './waiver-schema.js';

/** A decision, kept in Git, that a change needs no E2E test of one flow (SPEC §7). */
export interface Waiver extends WaiverEntry {
  flowId: string;
}
