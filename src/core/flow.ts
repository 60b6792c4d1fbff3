import type { FlowFile } from './flow-schema.js';

export type { FlowFile };

export interface Flow extends FlowFile {
  id: string;
  file: string;
}

export function flowFolder(id: string): string {
  return `flows/${id}/`;
}
