import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWhen, showInstant } from '../../src/core/when.js';
import { readIncidentDraft, renderNewIncident } from '../../src/services/incident-writer.js';
import { emptyValues, resolvedTimes, toNewIncident, validateForm } from '../../src/ui/incident-form/form-model.js';
import { removeTempDirs, tempDir } from '../helpers/git-repo.js';
import { NOW, ZONE, table } from './when-table.js';

// local time is the process's zone: this file reads the table in Berlin, on the day its clocks move forward
const zoneBefore = process.env.TZ;
const inZone = (zone: string | undefined) => {
  if (zone === undefined) delete process.env.TZ;
  else process.env.TZ = zone;
};
beforeAll(() => inZone(ZONE));
afterAll(() => {
  inZone(zoneBefore);
  removeTempDirs();
});

const shown = (means: { at: string } | { refused: string }) =>
  'at' in means ? { ok: true, time: Date.parse(means.at) } : { ok: false, reason: means.refused };

describe('the time grammar: each input and the instant it means', () => {
  it.each(table)('$input', ({ input, means }) => {
    expect(parseWhen(input, NOW)).toEqual(shown(means));
  });

  it('the zone really is Berlin (else the table proves nothing about local time)', () => {
    expect(new Date(Date.parse('2026-08-07T12:00:00Z')).getHours()).toBe(14);
    expect(new Date(Date.parse('2026-01-07T12:00:00Z')).getHours()).toBe(13);
  });

  it('what each accepted input means is shown back as local clock and offset, and that text reads back as the same instant', () => {
    expect(showInstant(Date.parse('2026-08-07T12:00:00Z'))).toBe('2026-08-07 14:00 UTC+02:00');
    expect(showInstant(Date.parse('2026-03-29T00:30:00Z'))).toBe('2026-03-29 01:30 UTC+01:00');
    expect(showInstant(Date.parse('2026-11-20T22:30:00.250Z'))).toBe('2026-11-20 23:30:00.250 UTC+01:00');
    for (const { means } of table) {
      if (!('at' in means)) continue;
      expect(parseWhen(showInstant(Date.parse(means.at)), 0)).toEqual({ ok: true, time: Date.parse(means.at) });
    }
    inZone('UTC');
    try {
      expect(showInstant(Date.parse('2026-08-07T12:00:00Z'))).toBe('2026-08-07 12:00 UTC');
    } finally {
      inZone(ZONE);
    }
  });

  it('inputs with a zone, a bare date or a duration mean the same instant in any zone', () => {
    const zoneFree = table.filter(
      ({ input, means }) =>
        'at' in means &&
        (/\d{2}(Z|UTC.*|[+-]\d{2}:?\d{2})$/i.test(input) ||
          /^\d{4}-\d{2}-\d{2}$/.test(input) ||
          /ago$|^\d[\d.]*[a-z]+$/i.test(input)),
    );
    expect(zoneFree.length).toBeGreaterThan(10);
    for (const zone of ['UTC', 'Asia/Kolkata', 'America/New_York']) {
      inZone(zone);
      try {
        for (const { input, means } of zoneFree)
          expect([zone, input, parseWhen(input, NOW)]).toEqual([zone, input, shown(means)]);
      } finally {
        inZone(ZONE);
      }
    }
  });
});

describe('the same table through the incident form', () => {
  it.each(table)('Started: $input', ({ input, means }) => {
    const values = { ...emptyValues, title: 'Cart', flows: ['checkout'], started: input };
    const errors = validateForm(values, NOW, ['checkout']);
    if ('at' in means) {
      expect([resolvedTimes(values, NOW).started, errors.started]).toEqual([means.at, undefined]);
      // what the form saves goes through the incident writer: the same instant lands in the file
      expect(renderNewIncident(toNewIncident(values), NOW).text).toContain(`started_at: ${means.at}`);
    } else {
      expect([resolvedTimes(values, NOW).started, errors.started]).toEqual([undefined, means.refused]);
      expect(() => renderNewIncident(toNewIncident(values), NOW)).toThrow(`--started ${means.refused}`);
    }
  });
});

describe('the same table through incident new --from FILE (its front matter)', () => {
  it.each(table)('started_at: $input', ({ input, means }) => {
    const file = join(tempDir(), 'incident.md');
    writeFileSync(
      file,
      `---\ntitle: Cart\nflows: [checkout]\nseverity: SEV2\nstarted_at: ${JSON.stringify(input)}\n---\n\n## What happened\n`,
    );
    const render = () => renderNewIncident(readIncidentDraft(file), NOW).text;
    if ('at' in means) expect(render()).toContain(`started_at: ${means.at}`);
    else expect(render).toThrow(`--started ${means.refused}`);
  });
});
