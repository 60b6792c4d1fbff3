import { posix } from 'node:path';

export const flowIdPattern = /^[a-z0-9][a-z0-9-]*$/;
export const incidentIdPattern = /^\d{4}-\d{2}-\d{2}-[a-z0-9][a-z0-9-]{0,59}$/;

export function isFlowId(id: string): boolean {
  return flowIdPattern.test(id) && id.length <= 64;
}

export function isIncidentId(id: string): boolean {
  return incidentIdPattern.test(id);
}

/** A slug of at most 60 characters: lowercase letters, digits and single dashes. */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.slice(0, 60).replace(/-+$/, '') || 'incident';
}

/** True when a repository-relative path stays inside the repository. */
export function staysInRepo(path: string): boolean {
  if (path === '' || path.includes('\0') || posix.isAbsolute(path) || /^[a-zA-Z]:/.test(path)) return false;
  const normal = posix.normalize(path.replace(/\\/g, '/'));
  return normal !== '..' && !normal.startsWith('../');
}
