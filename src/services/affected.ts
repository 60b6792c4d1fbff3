import { existsSync } from 'node:fs';
import { join } from 'node:path';
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

async function configAt(git: Git, rev: string, env: ConfigEnv): Promise<Config> {
  const [text] = await readBlobs(git, [`${rev}:verigap.yaml`]);
  if (text === undefined) return mergeConfig({}, env);
  const parsed = parseYamlWith(text, configSchema);
  if (!parsed.ok) throw new InputError(`verigap.yaml${parsed.problem.line ? `:${parsed.problem.line}` : ''} (at ${rev.slice(0, 12)}): ${parsed.problem.reason}`);
  return mergeConfig(parsed.value, env);
}

/** The base when none is given: the PR's base branch on GitHub Actions, else the tracked branch's upstream, else the branch. */
async function defaultBase(git: Git, head: string, env: AffectedOptions['env']): Promise<string> {
  // on a pull_request event: that base, even when not fetched yet (the error then names the fetch)
  if (env.GITHUB_BASE_REF) return `origin/${env.GITHUB_BASE_REF}`;
  const candidates: string[] = [];
  const configured = (await configAt(git, head, env)).branch;
  const remoteHead = (await git.run(['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD'], { allowFail: true })).trim().replace(/^origin\//, '');
  for (const branch of [configured, remoteHead || undefined, 'main', 'master']) {
    if (branch) candidates.push(`origin/${branch}`, branch);
  }
  for (const ref of candidates) if (await git.resolve(ref)) return ref;
  throw new InputError('cannot tell which branch this change is compared with', 'pass --base origin/main (or set `branch:` in verigap.yaml and fetch it)');
}

async function shallowHint(git: Git, base: string): Promise<string | undefined> {
  if (!(await git.isShallow())) return undefined;
  const branch = base.replace(/^origin\//, '');
  return `this is a shallow clone: fetch more history with \`git fetch --deepen=100 origin ${branch}\` (or \`git fetch --unshallow origin\`), e.g. \`fetch-depth: 0\` in actions/checkout, then run again`;
}

/** Test files at the head that tag flows (`@flow:<id>`), through `git grep` on the tree: no checkout needed. */
async function taggedFilesAt(git: Git, head: string): Promise<Map<string, string[]>> {
  const out = await git.run(['grep', '-z', '-I', '-o', '-E', '@flow:[a-z0-9][a-z0-9-]*', head, '--',
    ':(glob)**/*.spec.*', ':(glob)**/*.test.*', ':(glob)**/*.feature', ':(glob)**/*.cy.*', ':(glob)**/*.e2e.*'], { allowFail: true });
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

async function flowsAt(git: Git, head: string, headFiles: readonly string[]): Promise<Flow[]> {
  const problems: string[] = [];
  const files: { file: string; id: string }[] = [];
  for (const file of headFiles) {
    const id = flowFile.exec(file)?.[1];
    if (id === undefined) continue;
    if (isFlowId(id)) files.push({ file, id });
    else problems.push(`${file}: flow id "${id}" (its folder name) may only hold lowercase letters, digits and "-"; rename the folder`);
  }
  // every flow file in one git call: a repository may hold dozens of flows
  const texts = await readBlobs(git, files.map(({ file }) => `${head}:${file}`));
  const flows: Flow[] = [];
  files.forEach(({ file, id }, index) => {
    const parsed = parseYamlWith(texts[index] ?? '', flowSchema);
    if (parsed.ok) flows.push({ ...parsed.value, id, file });
    else problems.push(`${file}${parsed.problem.line ? `:${parsed.problem.line}` : ''}: ${parsed.problem.reason}`);
  });
  if (problems.length > 0) throw new InputError(`${problems.join('\n')}\n(as committed at ${head.slice(0, 12)})`, 'fix the flow file(s) above and commit them');
  return flows;
}

/** A read started early, awaited later: its failure is reported where it is awaited, never as an unhandled rejection. */
function early<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** The flows' last verifications from `.verigap/index.db` as last synced: never a sync here, so the check stays fast. */
async function lastVerifiedFromIndex(root: string, env: string): Promise<Map<string, string> | undefined> {
  const file = join(root, '.verigap', 'index.db');
  if (!existsSync(file)) return undefined;
  // loaded only when there is an index: SQLite's binding costs a noticeable part of this command's start
  const [{ openStoreToRead }, { createRunsStore }, { lastVerifiedAt }] = await Promise.all([
    import('../adapters/store/open-store.js'), import('../adapters/store/runs-store.js'), import('../core/last-verified.js'),
  ]);
  const db = openStoreToRead(file);
  if (!db) return undefined;
  try {
    return lastVerifiedAt(createRunsStore(db).flowRuns(), env);
  } catch {
    return undefined; // an index another process is rewriting: the times are only a courtesy
  } finally {
    db.close();
  }
}

/** Reads the change and the head side's flows from Git alone (no index, no checkout) and judges them (SPEC §8). */
export async function checkAffected(options: AffectedOptions): Promise<AffectedCheck> {
  const git = createGit(options.dir);
  const headRef = options.head ?? 'HEAD';
  // a repository first (its error wins), each git call started as soon as what it needs is known
  const [root, head, givenBase] = await Promise.all([git.topLevel(), git.resolve(headRef), options.base === undefined ? undefined : git.resolve(options.base)]);
  if (!head) throw new InputError(`--head ${headRef} is not a commit here`, 'pass a branch, a tag or a commit that exists in this clone');
  // the head side needs no base: read it while the base and the merge base are found
  const headFiles = early(git.run(['ls-tree', '-r', '--name-only', '-z', head]).then((out) => out.split('\0').filter(Boolean)));
  const flows = early(headFiles.then((files) => flowsAt(git, head, files)));
  const taggedFiles = early(taggedFilesAt(git, head));
  const baseRef = options.base ?? (await defaultBase(git, head, options.env));
  const baseTip = options.base === undefined ? await git.resolve(baseRef) : givenBase;
  if (!baseTip) {
    const hint = (await shallowHint(git, baseRef)) ?? `fetch it first: \`git fetch origin ${baseRef.replace(/^origin\//, '')}\``;
    throw new InputError(`--base ${baseRef} is not a commit here`, hint);
  }
  const mergeBase = (await git.run(['merge-base', baseTip, head], { allowFail: true })).trim();
  if (!mergeBase) {
    const hint = await shallowHint(git, baseRef);
    if (hint) throw new InputError(`the merge base of ${baseRef} and ${headRef} is not in this clone`, hint);
    throw new InputError(`${baseRef} and ${headRef} share no history`, 'pass the branch the change will merge into as --base');
  }
  const diff = git.run(['diff', '--name-status', '-M', '-z', '--no-color', '--no-ext-diff', mergeBase, head, '--']);
  const [config, changed] = await Promise.all([configAt(git, baseTip, options.env), diff]);
  const known = await lastVerifiedFromIndex(root, config.verification.env);
  const result = computeAffected({
    base: mergeBase, head, changed: parseNameStatus(changed), flows: await flows, headFiles: await headFiles, taggedFiles: await taggedFiles, lastVerifiedAt: known,
  });
  return { result, config, git, baseRef };
}
