/**
 * `pnpm --filter @descent/bench run profile W4 [iterations]`: profiles Descent's side of one workload with V8's
 * sampling profiler and prints the hottest functions. The raw .cpuprofile stays in results/profiles/ (open it in
 * Chrome DevTools or VS Code for the flame chart).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../results/profiles/', import.meta.url));
mkdirSync(dir, { recursive: true });
const script = (name) => fileURLToPath(new URL(name, import.meta.url));
const args = process.argv.slice(2);

const profiled = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, script('profile.mjs'), ...args], {
  stdio: 'inherit',
});
if (profiled.status !== 0) process.exit(profiled.status ?? 1);

const newest = readdirSync(dir)
  .filter((name) => name.endsWith('.cpuprofile'))
  .map((name) => ({ name, time: statSync(dir + name).mtimeMs }))
  .sort((a, b) => b.time - a.time)[0];
console.log(`profile: ${dir}${newest.name}`);
spawnSync(process.execPath, [script('profile-summary.mjs'), dir + newest.name], { stdio: 'inherit' });
