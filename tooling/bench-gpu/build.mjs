/**
 * Bundles the benchmark into one file, dist/bench-gpu.mjs: Descent's workspace packages and tfjs inlined, only
 * `webgpu` (Dawn, a native addon) left external, so the file runs anywhere Node.js and dawn.node are (pack-gpu.sh).
 * tfjs is taken from its ES modules ("module" before "main"), so its gradient registrations share one engine.
 */
import { build } from 'esbuild';

await build({
  entryPoints: ['src/main.mjs'],
  outfile: 'dist/bench-gpu.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  mainFields: ['module', 'main'],
  external: ['webgpu'],
  // CommonJS dependencies bundled into an ES module still call require() for Node's built-ins.
  banner: { js: "import { createRequire as __benchCreateRequire } from 'node:module'; const require = __benchCreateRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
});
