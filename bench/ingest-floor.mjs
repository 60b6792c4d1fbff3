// What an ingest cannot go under while it works as it does: Node's start, the SQLite addon and the index
// opened, and the one git call it makes when the index was read from the current notes (the append), with none
// of verigap's own code. Run as `node ingest-floor.mjs <commit>` in the clone.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';

const Database = createRequire(import.meta.url)('better-sqlite3');
const git = (args) =>
  new Promise((resolve, reject) => execFile('git', args, (error, stdout) => (error ? reject(error) : resolve(stdout))));
const ref = 'refs/notes/verigap-bench-floor';
const commit = process.argv[2];

const db = new Database(`${process.cwd()}/.verigap/index.db`, { readonly: true });
db.prepare('SELECT value FROM meta WHERE key = ?').get('runs_key');
await git(['notes', `--ref=${ref}`, 'append', '--allow-empty', '-m', String(Date.now()), commit]);
db.close();
