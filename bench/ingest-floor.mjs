// What an ingest cannot go under while it works as it does: Node's start, the SQLite addon and the index
// opened, and the same five git calls in turn (the top level, the deployed commit, its note, the append and
// the new notes tip), with none of verigap's own code. Run as `node ingest-floor.mjs <commit>` in the clone.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';

const Database = createRequire(import.meta.url)('better-sqlite3');
const git = (args) => new Promise((resolve, reject) => execFile('git', args, (error, stdout) => (error ? reject(error) : resolve(stdout))));
const ref = 'refs/notes/verigap-bench-floor';
const commit = process.argv[2];

const [top] = (await git(['rev-parse', '--show-toplevel', '--git-common-dir'])).split('\n');
const db = new Database(`${top}/.verigap/index.db`, { readonly: true });
db.prepare('SELECT value FROM meta WHERE key = ?').get('runs_key');
await git(['rev-parse', '--verify', '--quiet', `${commit}^{commit}`]);
await git(['log', '-1', '--no-walk', '--format=%N', `--notes=${ref}`, commit]);
await git(['notes', `--ref=${ref}`, 'append', '--allow-empty', '-m', String(Date.now()), commit]);
await git(['rev-parse', ref, `${ref}^@`]);
db.close();
