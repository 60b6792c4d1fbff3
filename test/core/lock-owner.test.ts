import { describe, expect, it } from 'vitest';
import { judgeLock, LOCK_MAX_AGE_MS, type LockFacts } from '../../src/core/lock-owner.js';

const owner = (fields: Record<string, unknown> = {}) =>
  JSON.stringify({ pid: 42, host: 'ci-1', boot: 'b1', start: '900', at: 0, nonce: 'n', ...fields });

function facts(text: string, more: Partial<LockFacts> = {}): LockFacts {
  return {
    kind: 'file',
    text,
    ageMs: 1_000,
    here: { host: 'ci-1', boot: 'b1' },
    probe: () => ({ alive: true, start: '900' }),
    ...more,
  };
}

describe('judgeLock', () => {
  it('holds for a live owner that started when it says it did', () => {
    expect(judgeLock(facts(owner())).state).toBe('held');
  });

  it('is stale when empty, naming no one, dead, reused, or from before a restart', () => {
    expect(judgeLock(facts(''))).toEqual({
      state: 'stale',
      why: 'it is empty: its owner stopped before writing its pid',
    });
    expect(judgeLock(facts('{"half'))).toEqual({ state: 'stale', why: 'it names no owner' });
    expect(judgeLock(facts(owner(), { probe: () => ({ alive: false }) }))).toEqual({
      state: 'stale',
      why: 'its owner, pid 42, is gone',
    });
    expect(judgeLock(facts(owner(), { probe: () => ({ alive: true, start: '901' }) }))).toEqual({
      state: 'stale',
      why: 'pid 42 is now another process',
    });
    expect(judgeLock(facts(owner({ boot: 'b0' })))).toEqual({
      state: 'stale',
      why: 'it was taken by pid 42 before this machine restarted',
    });
  });

  it('trusts an owner it cannot check (another host, an older verigap, no /proc) until it is older than any run', () => {
    const old = LOCK_MAX_AGE_MS + 3_600_000;
    expect(judgeLock(facts(owner({ host: 'ci-2' }))).state).toBe('held');
    expect(judgeLock(facts(owner({ host: 'ci-2' }), { ageMs: old }))).toEqual({
      state: 'stale',
      why: 'it is 7 h old, older than any run (pid 42 on ci-2)',
    });
    expect(judgeLock(facts('42')).state).toBe('held');
    expect(judgeLock(facts('42', { ageMs: old }))).toEqual({
      state: 'stale',
      why: 'it is 7 h old, older than any run (pid 42)',
    });
    expect(judgeLock(facts(owner(), { ageMs: old })).state).toBe('held');
  });

  it('takes over an empty directory but leaves anything else of the wrong kind to the user', () => {
    expect(judgeLock(facts('', { kind: 'empty-directory' })).state).toBe('stale');
    expect(judgeLock(facts('', { kind: 'directory' })).state).toBe('foreign');
    expect(judgeLock(facts('', { kind: 'other' })).state).toBe('foreign');
  });
});
