import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { configSchema } from '../../src/core/config-schema.js';
import { flowSchema } from '../../src/core/flow-schema.js';
import { schemaFiles, schemaModeline } from '../../src/core/json-schemas.js';

const dist = resolve(import.meta.dirname, '../../dist/schemas');
const read = (file: string) =>
  JSON.parse(readFileSync(join(dist, file), 'utf8')) as {
    title: string;
    properties: Record<string, unknown>;
    required?: string[];
  };

describe('the JSON Schemas the build writes from the zod schemas', () => {
  it('exist for verigap.yaml, flow.yaml and waivers.yaml', () => {
    for (const file of schemaFiles) expect(existsSync(join(dist, file)), file).toBe(true);
  });

  it('name every key the zod schemas accept, so an editor completes them all', () => {
    expect(Object.keys(read('flow.schema.json').properties).sort()).toEqual(Object.keys(flowSchema.shape).sort());
    expect(Object.keys(read('verigap.schema.json').properties).sort()).toEqual(Object.keys(configSchema.shape).sort());
    expect(read('flow.schema.json').required).toEqual(['name']);
  });

  it('are named by a first-line modeline whose path holds from the file to node_modules/verigap', () => {
    expect(schemaModeline('verigap.yaml', 'verigap.schema.json')).toBe(
      '# yaml-language-server: $schema=node_modules/verigap/dist/schemas/verigap.schema.json',
    );
    const modeline = schemaModeline('flows/checkout/flow.yaml', 'flow.schema.json');
    expect(modeline).toBe('# yaml-language-server: $schema=../../node_modules/verigap/dist/schemas/flow.schema.json');
    expect(posix.normalize(posix.join('flows/checkout', modeline.split('=')[1]!))).toBe(
      'node_modules/verigap/dist/schemas/flow.schema.json',
    );
  });
});
