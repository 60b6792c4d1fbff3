// Keeps the layers honest (STYLE.md): core/ is pure (no I/O, no clock, no env), adapters never
// reach up into services or commands, services never into commands or the UI.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const rules = [
  { layer: 'src/core', forbidden: [/\.\.\/(adapters|services|commands|ui)\//, /from 'node:(fs|child_process|net|http|https)/, /\bprocess\.env\b/, /\bDate\.now\(\)/] },
  { layer: 'src/adapters', forbidden: [/\.\.\/(services|commands|ui)\//] },
  { layer: 'src/services', forbidden: [/\.\.\/(commands|ui)\//] },
];

const files = (dir) => readdirSync(dir).flatMap((name) => {
  const path = join(dir, name);
  return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') || path.endsWith('.tsx') ? [path] : [];
});

const problems = [];
for (const { layer, forbidden } of rules) {
  for (const file of files(layer)) {
    readFileSync(file, 'utf8').split('\n').forEach((line, index) => {
      for (const pattern of forbidden) if (pattern.test(line)) problems.push(`${relative('.', file)}:${index + 1}: ${layer} may not use ${pattern}`);
    });
  }
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('layers ok');
