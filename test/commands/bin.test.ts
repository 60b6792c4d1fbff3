import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cliPath } from '../helpers/git-repo.js';

describe('the verigap bin', () => {
  it('runs by itself, as `npx verigap` runs it, after any rebuild', () => {
    // no `node` in front: the file must be executable and start with its shebang
    expect(execFileSync(cliPath, ['--version'], { encoding: 'utf8' }).trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
