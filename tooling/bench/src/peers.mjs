/**
 * The frameworks compared in one run, in table order. Descent runs each workload's `descent` side; tfjs-cpu and
 * tfjs-wasm run the same `tfjs` side with tfjs switched to the other backend; jax-js runs the `jax` side where a
 * workload has one. A peer that cannot run a workload gets '-' in the table and the reason in a footnote, never a
 * number: the side returns `{ unavailable: reason }`, the workload names a reason in `notPorted`, or the side threw.
 */
import { readFileSync } from 'node:fs';
import { useTfjsBackend } from './tfjs.mjs';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const version = (name) => manifest.dependencies[name];

export const PEERS = [
  { key: 'descent', label: 'Descent (cpu)' },
  { key: 'tfjs', label: `tfjs-cpu ${version('@tensorflow/tfjs-backend-cpu')}` },
  { key: 'tfjsWasm', label: `tfjs-wasm ${version('@tensorflow/tfjs-backend-wasm')}` },
  { key: 'jax', label: `jax-js ${version('@jax-js/jax')} wasm` },
];

/** The peers named by `--peers descent,jax` (Descent always runs: every ratio is taken against it). */
export function selectedPeers(argv) {
  const flag = argv.indexOf('--peers');
  if (flag === -1) return PEERS;
  const keys = new Set(['descent', ...(argv[flag + 1] ?? '').split(',').map((key) => key.trim())]);
  const unknown = [...keys].filter((key) => !PEERS.some((peer) => peer.key === key));
  if (unknown.length > 0) {
    throw new Error(`--peers expects names from ${PEERS.map((p) => p.key).join(', ')}; got ${unknown.join(', ')}`);
  }
  return PEERS.filter((peer) => keys.has(peer.key));
}

/**
 * Runs one peer's side of a workload. Resolves to `{ result }` or `{ unavailable: reason }`. `context` holds what the
 * runner loaded once: torch, the W5 training classes, tfjs and its Wasm status, jax-js, the shared W4/W5 weights.
 */
export async function runPeer(peer, workload, context) {
  const { torch, training, tfjs, jax, init } = context;
  try {
    let result;
    switch (peer.key) {
      case 'descent':
        result = await workload.descent(torch, init, training);
        break;
      case 'tfjs':
        await useTfjsBackend(tfjs.tf, 'cpu');
        result = await workload.tfjs(tfjs.tf, init);
        break;
      case 'tfjsWasm':
        if (tfjs.wasm.unavailable) return { unavailable: tfjs.wasm.unavailable };
        await useTfjsBackend(tfjs.tf, 'wasm');
        result = await workload.tfjs(tfjs.tf, init);
        break;
      case 'jax':
        if (jax.unavailable) return { unavailable: jax.unavailable };
        if (!workload.jax) return { unavailable: workload.notPorted?.jax ?? 'not ported to jax-js' };
        result = await workload.jax(jax.jax, init);
        break;
      default:
        throw new Error(`unknown peer ${peer.key}`);
    }
    return result?.unavailable ? { unavailable: result.unavailable } : { result };
  } catch (error) {
    return { unavailable: `failed: ${error?.message ?? error}` };
  }
}
