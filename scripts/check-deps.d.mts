export function parseDepsList(text: string): Map<string, { pure: boolean; allowed: string[] }>;
export function checkDeps(root: string): string[];
