import { join } from 'node:path';
import { isThere } from '../adapters/fs.js';
import { createGit, readBlobs, type Git } from '../adapters/git.js';
import { mergeConfig, type Config, type ConfigEnv } from '../config.js';
import { computeAffected, parseNameStatus, type AffectedResult } from '../core/affected.js';
import { configSchema } from '../core/config-schema.js';
import type { Flow } from '../core/flow.js';
import { flowSchema } from '../core/flow-schema.js';
import { isFlowId } from '../core/ids.js';
import { parseYamlWith } from '../core/yaml-file.js';
import { InputError } from '../errors.js';

export interface AffectedOptions {
  dir: string;
  base?: string | undefined;
  head?: string | undefined;
  env: ConfigEnv & { GITHUB_BASE_REF?: string | undefined };
}

export interface AffectedCheck {
  result: AffectedResult;
  /** The configuration of the base side: a pull request cannot redirect where the token goes. */
  config: Config;
  git: Git;
  baseRef: string;
}

const flowFile = /^flows\/([^/]+)\/flow\.yaml$/;

function configFrom(text: string | undefined, rev: string, env: ConfigEnv): Config {
  if (text === undefined) return mergeConfig({}, env);
  const parsed = parseYamlWith(text, configSchema);
  if (!parsed.ok)
    throw new InputError(
      `verigap.yaml${parsed.problem.line ? `:${parsed.problem.line}` : ''} (at ${rev.slice(0, 12)}): ${parsed.problem.reason}`,
    );
  return mergeConfig(parsed.value, env);
}

async function configAt(git: Git, rev: string, env: ConfigEnv): Promise<Config> {
  const [text] = await readBlobs(git, [`${rev}:verigap.yaml`]);
  return configFrom(text, rev, env);
}

/** The base when none is given: the PR's base branch on GitHub Actions, else the tracked branch's upstream, else the branch. */
async function defaultBase(git: Git, head: string, env: AffectedOptions['env']): Promise<string> {
  // on a pull_request event: that base, even when not fetched yet (the error then names the fetch)
  if (env.GITHUB_BASE_REF) return `origin/${env.GITHUB_BASE_REF}`;
  const candidates: string[] = [];
  const configured = (await configAt(git, head, env)).branch;
  const remoteHead = (
    await git.run(['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD'], { allowFail: true })
  )
    .trim()
    .replace(/^origin\//, '');
  for (const branch of [configured, remoteHead || undefined, 'main', 'master']) {
    if (branch) candidates.push(`origin/${branch}`, branch);
  }
  for (const ref of candidates) if (await git.resolve(ref)) return ref;
  throw new InputError(
    'cannot tell which branch this change is compared with',
    'pass --base origin/main (or set `branch:` in verigap.yaml and fetch it)',
  );
}

async function shallowHint(git: Git, base: string): Promise<string | undefined> {
  if (!(await git.isShallow())) return undefined;
  const branch = base.replace(/^origin\//, '');
  return `this is a shallow clone: fetch more history with \`git fetch --deepen=100 origin ${branch}\` (or \`git fetch --unshallow origin\`), e.g. \`fetch-depth: 0\` in actions/checkout, then run again`;
}

/** Test files at the head that tag flows (`@flow:<id>`), through `git grep` on the tree: no checkout needed. */
async function taggedFilesAt(git: Git, head: string): Promise<Map<string, string[]>> {
  const out = await git.run(
    [
      'grep',
      '-z',
      '-I',
      '-o',
      '-E',
      '@flow:[a-z0-9][a-z0-9-]*',
      head,
      '--',
      ':(glob)**/*.spec.*',
      ':(glob)**/*.test.*',
      ':(glob)**/*.feature',
      ':(glob)**/*.cy.*',
      ':(glob)**/*.e2e.*',
    ],
    { allowFail: true },
  );
  const tagged = new Map<string, string[]>();
  const prefix = `${head}:`;
  for (const line of out.split('\n')) {
    const split = line.indexOf('\0');
    if (split < 0 || !line.startsWith(prefix)) continue;
    const path = line.slice(prefix.length, split);
    const id = line.slice(split + 1).replace(/^@flow:/, '');
    const ids = tagged.get(path) ?? [];
    if (!ids.includes(id)) ids.push(id);
    tagged.set(path, ids);
  }
  return tagged;
}

/**
 * The base side's configuration (a pull request cannot redirect where the token goes) and the head side's
 * flows, every file in one `git cat-file`: a repository may hold dozens of flows.
 */
async function readConfigAndFlows(
  git: Git,
  baseTip: string,
  head: string,
  headFiles: readonly string[],
  env: ConfigEnv,
): Promise<[Config, Flow[]]> {
  const problems: string[] = [];
  const files: { file: string; id: string }[] = [];
  for (const file of headFiles) {
    const id = flowFile.exec(file)?.[1];
    if (id === undefined) continue;
    if (isFlowId(id)) files.push({ file, id });
    else
      problems.push(
        `${file}: flow id "${id}" (its folder name) may only hold lowercase letters, digits and "-"; rename the folder`,
      );
  }
  const [configText, ...texts] = await readBlobs(git, [
    `${baseTip}:verigap.yaml`,
    ...files.map(({ file }) => `${head}:${file}`),
  ]);
  const config = configFrom(configText, baseTip, env);
  const flows: Flow[] = [];
  files.forEach(({ file, id }, index) => {
    const parsed = parseYamlWith(texts[index] ?? '', flowSchema);
    if (parsed.ok) flows.push({ ...parsed.value, id, file });
    else problems.push(`${file}${parsed.problem.line ? `:${parsed.problem.line}` : ''}: ${parsed.problem.reason}`);
  });
  if (problems.length > 0)
    throw new InputError(
      `${problems.join('\n')}\n(as committed at ${head.slice(0, 12)})`,
      'fix the flow file(s) above and commit them',
    );
  return [config, flows];
}

/** A read started early, awaited later: its failure is reported where it is awaited, never as an unhandled rejection. */
function early<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** The flows' last verifications from `.verigap/index.db` as last synced: never a sync here, so the check stays fast. */
async function lastVerifiedFromIndex(root: string, env: string): Promise<Map<string, string> | undefined> {
  const file = join(root, '.verigap', 'index.db');
  if (!isThere(file)) return undefined;
  // loaded only when there is an index: SQLite's binding costs a noticeable part of this command's start
  const [{ openStoreToRead }, { createRunsStore }, { lastVerifiedAt }] = await Promise.all([
    import('../adapters/store/open-store.js'),
    import('../adapters/store/runs-store.js'),
    import('../core/last-verified.js'),
  ]);
  const db = openStoreToRead(file);
  if (!db) return undefined;
  try {
    return lastVerifiedAt(createRunsStore(db).lastPasses(env), env);
  } catch {
    return undefined; // an index another process is rewriting: the times are only a courtesy
  } finally {
    db.close();
  }
}

const objectId = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

interface Resolved {
  root: string;
  head: string;
  baseTip?: string;
  mergeBase?: string;
}

/**
 * The top level, the head, the given base and their merge base in one `git rev-parse` (`A...B` prints B, A and
 * `^<merge base>`); undefined when one of them is not there.
 */
async function resolveAll(git: Git, headRef: string, base: string | undefined): Promise<Resolved | undefined> {
  const refs = [headRef, ...(base === undefined ? [] : [base])];
  // a ref that looks like an option takes the slow way, where `--verify` keeps it a ref
  if (refs.some((ref) => ref.startsWith('-'))) return undefined;
  const symmetric = base === undefined ? [] : [`${base}...${headRef}`];
  const out = await git.run(['rev-parse', '--show-toplevel', ...refs.map((ref) => `${ref}^{commit}`), ...symmetric], {
    allowFail: true,
  });
  const [root, ...lines] = out.split('\n').filter(Boolean);
  const [head, baseTip] = lines;
  if (!root || !head || !objectId.test(head) || (base !== undefined && !(baseTip && objectId.test(baseTip))))
    return undefined;
  // the first of several merge bases, as `git merge-base` and `git diff A...B` take it
  const mergeBase = lines
    .slice(refs.length)
    .find((line) => line.startsWith('^'))
    ?.slice(1);
  return {
    root,
    head,
    ...(baseTip ? { baseTip } : {}),
    ...(mergeBase && objectId.test(mergeBase) ? { mergeBase } : {}),
  };
}

/** Reads the change and the head side's flows from Git alone (no index, no checkout) and judges them (SPEC §8). */
export async function checkAffected(options: AffectedOptions): Promise<AffectedCheck> {
  const git = createGit(options.dir);
  const headRef = options.head ?? 'HEAD';
  // one git call answers the usual case; when it cannot, each question is asked alone so the error names its cause
  const resolved = await resolveAll(git, headRef, options.base);
  const root = resolved?.root ?? (await git.topLevel());
  const head = resolved?.head ?? (await git.resolve(headRef));
  if (!head)
    throw new InputError(
      `--head ${headRef} is not a commit here`,
      'pass a branch, a tag or a commit that exists in this clone',
    );
  // the head side needs no base: read it while the base and the merge base are found
  const headFiles = early(
    git.run(['ls-tree', '-r', '--name-only', '-z', head]).then((out) => out.split('\0').filter(Boolean)),
  );
  const taggedFiles = early(taggedFilesAt(git, head));
  const baseRef = options.base ?? (await defaultBase(git, head, options.env));
  const baseTip = resolved?.baseTip ?? (await git.resolve(baseRef));
  if (!baseTip) {
    const hint =
      (await shallowHint(git, baseRef)) ?? `fetch it first: \`git fetch origin ${baseRef.replace(/^origin\//, '')}\``;
    throw new InputError(`--base ${baseRef} is not a commit here`, hint);
  }
  const mergeBase = resolved?.mergeBase ?? (await git.run(['merge-base', baseTip, head], { allowFail: true })).trim();
  if (!mergeBase) {
    const hint = await shallowHint(git, baseRef);
    if (hint) throw new InputError(`the merge base of ${baseRef} and ${headRef} is not in this clone`, hint);
    throw new InputError(
      `${baseRef} and ${headRef} share no history`,
      'pass the branch the change will merge into as --base',
    );
  }
  const diff = early(
    git.run(['diff', '--name-status', '-M', '-z', '--no-color', '--no-ext-diff', mergeBase, head, '--']),
  );
  // the base side's configuration and the head side's flows in one read
  const [config, flows] = await readConfigAndFlows(git, baseTip, head, await headFiles, options.env);
  const known = await lastVerifiedFromIndex(root, config.verification.env);
  const result = computeAffected({
    base: mergeBase,
    head,
    changed: parseNameStatus(await diff),
    flows,
    headFiles: await headFiles,
    taggedFiles: await taggedFiles,
    lastVerifiedAt: known,
  });
  return { result, config, git, baseRef };
}
