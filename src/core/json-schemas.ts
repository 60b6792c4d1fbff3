/**
 * JSON Schemas of the files people edit, generated from the zod schemas that validate them, so an editor
 * (the YAML language server: VS Code, JetBrains, Neovim) completes and checks the same rules. The build
 * writes them to dist/schemas/; the files verigap writes name them in a first-line modeline.
 */
import { posix } from 'node:path';
import { z } from 'zod';
import { configSchema } from './config-schema.js';
import { flowSchema } from './flow-schema.js';
import { waiversSchema } from './waiver-schema.js';

const schemas = {
  'verigap.schema.json': { title: 'verigap.yaml', schema: configSchema },
  'flow.schema.json': { title: 'flows/<id>/flow.yaml', schema: flowSchema },
  'waivers.schema.json': { title: 'flows/<id>/waivers.yaml', schema: waiversSchema },
} as const;

export type SchemaFile = keyof typeof schemas;
export const schemaFiles = Object.keys(schemas) as SchemaFile[];

/** The JSON Schema of a file, for what a person writes (defaults optional); rules JSON Schema cannot say are left to verigap. */
export function jsonSchemaOf(file: SchemaFile): object {
  const { title, schema } = schemas[file];
  return { ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }), title };
}

/** Where an installed verigap keeps them, from the repository root. */
const installed = 'node_modules/verigap/dist/schemas';

/** The first line of a file verigap writes at `file` (repository-relative): the YAML language server's modeline. */
export function schemaModeline(file: string, schema: SchemaFile): string {
  const up = posix.relative(posix.dirname(file), '.') || '.';
  return `# yaml-language-server: $schema=${posix.join(up, installed, schema)}`;
}
