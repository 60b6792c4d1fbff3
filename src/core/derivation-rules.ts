/**
 * The version of each rule that derives index rows from what Git and the repository's files
 * hold. When a release changes a rule it bumps its number here, and the next sync re-derives
 * those rows from the rows they come from: no `sync --rebuild`, no history read again.
 */
export const derivationRules = {
  /** file_lifetimes from change_paths. 2: every file, not only `*.spec|test.*` (`tests` globs name any file). */
  lifetimes: 2,
  /** path_flows from paths and flows. 2: a `tests` glob makes any file an E2E test of its flow. */
  mapping: 2,
  /** The validated flows, incidents and waivers cached in the index. 2: waivers judged per flow. 3: incident times in order, globs of at most 4096 characters. */
  models: 3,
  /** runs from refs/notes/verigap. 2: the same run ingested twice counts once. 3: run_flows carry env, time, reach, commit and whether they verify. */
  runs: 3,
} as const;
