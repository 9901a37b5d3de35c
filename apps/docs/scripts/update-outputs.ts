// Rewrites the outputs the docs show: examples/*.out from running each example (Descent, CPU), and with
// `--pytorch [python]` also examples/pytorch/*.out from running the PyTorch originals (needs a Python that
// imports torch, e.g. Debian's python3-torch at /usr/bin/python3; CI never runs Python).
// Usage: pnpm --filter @descent/docs run examples:update [-- --pytorch /usr/bin/python3]
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PYTORCH_DIR, listExamples, outputPath, pytorchOutputPath, runExample, runPytorchExample } from '../src/examples/run-example.js';

const flag = process.argv.indexOf('--pytorch');
const python = flag >= 0 ? (process.argv[flag + 1] ?? '/usr/bin/python3') : null;

for (const name of listExamples()) {
  writeFileSync(outputPath(name), await runExample(name));
  console.log(`wrote examples/${name}.out`);
  if (python && existsSync(join(PYTORCH_DIR, `${name}.py`))) {
    writeFileSync(pytorchOutputPath(name), await runPytorchExample(name, python));
    console.log(`wrote examples/pytorch/${name}.out`);
  }
}
