import { compileGlobs, isSpecFile } from './glob.js';
import { flowFolder, type Flow } from './flow.js';

export type PathRole = 'code' | 'test';

export interface PathFlow {
  flowId: string;
  role: PathRole;
}

/**
 * Which flows a repository path belongs to: as code (it matches the flow's `paths`) and as an
 * E2E test (SPEC §1): a spec file in the flow's folder, or any file its `tests` globs match,
 * whatever its runner (Cucumber `.feature`, Cypress, `*.e2e.ts`): the user's list is authoritative.
 */
export function createPathMapper(flows: readonly Flow[]): (path: string) => PathFlow[] {
  const compiled = flows.map((flow) => ({
    id: flow.id,
    folder: flowFolder(flow.id),
    code: compileGlobs(flow.paths),
    tests: compileGlobs(flow.tests),
  }));
  return (path) => {
    const found: PathFlow[] = [];
    const spec = isSpecFile(path);
    for (const flow of compiled) {
      if (flow.code(path)) found.push({ flowId: flow.id, role: 'code' });
      if ((spec && path.startsWith(flow.folder)) || flow.tests(path)) found.push({ flowId: flow.id, role: 'test' });
    }
    return found;
  };
}
