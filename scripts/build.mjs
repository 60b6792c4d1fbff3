// Compiles src/ to dist/ and copies the SQL migrations beside the store adapter.
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
rmSync('dist', { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
cpSync('src/adapters/store/migrations', 'dist/adapters/store/migrations', { recursive: true });
// the `verigap` bin: `npx verigap` runs it directly, so it must stay executable across rebuilds
chmodSync('dist/cli.js', 0o755);
