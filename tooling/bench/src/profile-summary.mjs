/**
 * Summarizes a V8 .cpuprofile (from node --cpu-prof): the functions with the most self time, and the most
 * total (inclusive) time, with their source locations. Usage: node src/profile-summary.mjs FILE [top=25]
 */
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: node src/profile-summary.mjs FILE.cpuprofile [top]');
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfSamples = new Map();
for (const id of profile.samples) selfSamples.set(id, (selfSamples.get(id) ?? 0) + 1);
const total = profile.samples.length;

function label(node) {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${url.replace(/^.*\/(packages|node_modules)\//, '$1/')}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'} ${where}`.trim();
}

// Self time per function (merged over call sites).
const self = new Map();
for (const [id, count] of selfSamples) {
  const key = label(byId.get(id));
  self.set(key, (self.get(key) ?? 0) + count);
}

// Inclusive time per function: each sample counts once for every distinct function on its stack.
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const inclusive = new Map();
for (const [id, count] of selfSamples) {
  const seen = new Set();
  for (let n = id; n !== undefined; n = parent.get(n)) {
    const key = label(byId.get(n));
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + count);
  }
}

function print(title, map) {
  console.log(`\n${title} (of ${total} samples)`);
  const rows = [...map].sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [key, count] of rows) console.log(`${((100 * count) / total).toFixed(1).padStart(5)}%  ${key}`);
}

print('self time', self);
print('inclusive time', inclusive);
