import type { SkippedNote } from '../run.js';
/** Number formats shared by the Markdown and HTML renderers. */
export const percent = (value: number | null) => (value === null ? '—' : `${(value * 100).toFixed(1)}%`);
export const hours = (value: number | null) =>
  value === null ? '—' : value < 48 ? `${value.toFixed(1)} h` : `${(value / 24).toFixed(1)} d`;
export const short = (sha: string) => sha.slice(0, 7);
export const day = (iso: string | null) => (iso === null ? 'never' : iso.slice(0, 16).replace('T', ' '));

export const definitions = [
  'Window: changes are first-parent commits of the tracked branch with since ≤ committer time < until.',
  'Feature: a change whose subject matches features.pattern. Affected flows: flows whose `paths` match a file it touched; none = unmapped.',
  'E2E test of a flow: a spec file in flows/<id>/, or any file its `tests` globs match (Cucumber, Cypress, a custom name), or a test tagged @flow:<id> (for runs).',
  "Each affected flow judges a feature on its own evidence: waived (a waiver for that flow), else verified (a passing run of the verification env on a commit that contains the feature), else covered (the flow had an E2E test in the tree of the feature's commit), else uncovered. Per-flow rows count these.",
  "A feature takes the weakest status of the flows it is not waived for; waived for every affected flow: listed, left out of the shares. A flow's tests are counted in the tree at the window's end.",
  'Coverage share = (verified + covered) / (mapped − waived); verified share = verified / (mapped − waived); a share over zero items is —.',
  "Merge→verification: earliest time every affected flow had passed a run containing the feature, minus the commit time; nearest-rank percentiles. Runs after the window's end (or now) are not counted.",
  "Stale: a flow with a `schedule` whose last passing run of the verification env is older than twice its schedule at the window's end (one missed run is tolerated), or that never passed. Flaky: a deployed commit on which the flow's runs in the window both passed and failed.",
  'Incidents: those whose started_at is in the window; time to detect = detected − started, time to restore = resolved − started (p50); a repeat is an incident on a flow that already had a proven regression test.',
];

/** How a skipped note line is listed in a report's footer: where it is, why, and the command that shows it. */
export const skippedNoteText = ({ commit, line, reason }: SkippedNote): string =>
  commit === null
    ? `refs/notes/verigap cannot be read (${reason}): no run is counted`
    : `note on ${commit.slice(0, 7)}, line ${line}: ${reason} (git notes --ref verigap show ${commit})`;

/** A flow's production markers: stale, and the newest few commits it was flaky on (the JSON has them all). */
export const productionMarks = ({
  stale,
  flaky_commits: flaky,
}: {
  stale: boolean;
  flaky_commits: readonly string[];
}): string =>
  [
    stale ? 'stale' : '',
    flaky.length
      ? `flaky on ${flaky.slice(-3).reverse().map(short).join(', ')}${flaky.length > 3 ? ` (+${flaky.length - 3} more)` : ''}`
      : '',
  ]
    .filter(Boolean)
    .join(' · ') || '—';
