/**
 * What to run: CLI flags override environment variables (BENCH_GPU_*), which override the preset. The preset
 * follows the adapter: a software one (lavapipe, SwiftShader) gets small sizes, a real GPU the sizes.
 */

export const WORKLOADS = ['matmul', 'elementwise', 'chain', 'mlp'];

const PRESETS = {
  gpu: {
    matmul: [1024, 2048, 4096],
    elementwise: 64 * 2 ** 20,
    chain: 1000,
    mlp: [784, 2048, 2048, 10],
    batch: 1024,
    budget: 60,
  },
  // Lavapipe runs WGSL on the CPU's cores: the sizes would take minutes per figure. Larger matmul sizes
  // are listed so they run where the time budget allows, and print as skipped where it does not.
  lavapipe: {
    matmul: [256, 512, 1024, 2048, 4096],
    elementwise: 4 * 2 ** 20,
    chain: 1000,
    mlp: [784, 256, 256, 10],
    batch: 128,
    budget: 20,
  },
};

const FLAGS = {
  only: { env: 'BENCH_GPU_ONLY', parse: parseOnly },
  preset: { env: 'BENCH_GPU_PRESET', parse: parsePreset },
  matmul: { env: 'BENCH_GPU_MATMUL', parse: (v) => parseList(v, '--matmul') },
  elementwise: { env: 'BENCH_GPU_ELEMENTWISE', parse: (v) => parseCount(v, '--elementwise') },
  chain: { env: 'BENCH_GPU_CHAIN', parse: (v) => parseCount(v, '--chain') },
  mlp: { env: 'BENCH_GPU_MLP', parse: parseMlp },
  batch: { env: 'BENCH_GPU_BATCH', parse: (v) => parseCount(v, '--batch') },
  budget: { env: 'BENCH_GPU_BUDGET', parse: (v) => parsePositive(v, '--budget') },
  reps: { env: 'BENCH_GPU_REPS', parse: (v) => parseCount(v, '--reps') },
  warmup: { env: 'BENCH_GPU_WARMUP', parse: (v) => parseCount(v, '--warmup', 0) },
  tfjs: { env: 'BENCH_GPU_TFJS', parse: (v) => !['0', 'false', 'no', 'off'].includes(String(v).toLowerCase()) },
};

export const USAGE = `Usage: node bench-gpu.mjs [options]   (each option also reads the environment variable shown)
  --only matmul,elementwise,chain,mlp  workloads to run              BENCH_GPU_ONLY
  --preset auto|gpu|lavapipe           default sizes (auto: by adapter) BENCH_GPU_PRESET
  --matmul 1024,2048,4096              square fp32 matmul sizes        BENCH_GPU_MATMUL
  --elementwise 64M                    floats in c = a*b + a           BENCH_GPU_ELEMENTWISE
  --chain 1000                         tiny ops in the chain           BENCH_GPU_CHAIN
  --mlp 784,2048,2048,10               MLP layer widths                BENCH_GPU_MLP
  --batch 1024                         MLP batch size                  BENCH_GPU_BATCH
  --budget 60                          seconds allowed per figure      BENCH_GPU_BUDGET
  --reps 5 --warmup 2                  timed and untimed repetitions   BENCH_GPU_REPS, BENCH_GPU_WARMUP
  --no-tfjs                            Descent only                    BENCH_GPU_TFJS=0`;

/** Options given explicitly (flags and environment), before the preset fills in the rest. */
export function parseOptions(argv = process.argv.slice(2), env = process.env) {
  const given = {};
  for (const [name, flag] of Object.entries(FLAGS)) {
    if (env[flag.env] !== undefined && env[flag.env] !== '') given[name] = flag.parse(env[flag.env]);
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return { help: true };
    if (arg === '--no-tfjs') {
      given.tfjs = false;
      continue;
    }
    const match = /^--([a-z]+)(?:=(.*))?$/.exec(arg);
    const flag = match && FLAGS[match[1]];
    if (!flag) throw new Error(`Unknown option '${arg}'.\n${USAGE}`);
    const value = match[2] ?? argv[++i];
    if (value === undefined) throw new Error(`Option --${match[1]} needs a value.\n${USAGE}`);
    given[match[1]] = flag.parse(value);
  }
  return given;
}

/** The options for this run: explicit ones over the preset's (chosen by `software` when the preset is auto). */
export function resolveOptions(given, software) {
  const presetName = given.preset && given.preset !== 'auto' ? given.preset : software ? 'lavapipe' : 'gpu';
  const custom = Object.keys(given).some((k) => k !== 'preset' && k !== 'tfjs');
  return {
    preset: presetName,
    only: given.only ?? WORKLOADS,
    reps: given.reps ?? 5,
    warmup: given.warmup ?? 2,
    tfjs: given.tfjs ?? true,
    ...PRESETS[presetName],
    ...Object.fromEntries(Object.entries(given).filter(([k]) => k in PRESETS.gpu)),
    custom,
  };
}

function parseOnly(value) {
  const names = String(value).split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !WORKLOADS.includes(n));
  if (unknown.length) throw new Error(`Unknown workload '${unknown.join(', ')}' in --only: use ${WORKLOADS.join(', ')}.`);
  return names;
}

function parsePreset(value) {
  if (!['auto', 'gpu', 'lavapipe'].includes(value)) throw new Error(`Unknown preset '${value}': use auto, gpu or lavapipe.`);
  return value;
}

/** A count such as 1024, 4M or 64M (M = 2^20, K = 2^10). */
function parseCount(value, name, min = 1) {
  const match = /^(\d+)([kKmM]?)$/.exec(String(value).trim());
  const n = match ? Number(match[1]) * (match[2] ? 2 ** (match[2].toLowerCase() === 'k' ? 10 : 20) : 1) : NaN;
  if (!Number.isSafeInteger(n) || n < min) throw new Error(`${name} expects a whole number >= ${min} (e.g. 1024 or 4M), got '${value}'.`);
  return n;
}

function parsePositive(value, name) {
  const n = Number(value);
  if (!(n > 0)) throw new Error(`${name} expects a positive number of seconds, got '${value}'.`);
  return n;
}

function parseList(value, name) {
  return String(value).split(',').map((s) => parseCount(s, name));
}

function parseMlp(value) {
  const widths = parseList(value, '--mlp');
  if (widths.length < 2) throw new Error(`--mlp expects at least input and output widths (e.g. 784,2048,2048,10), got '${value}'.`);
  return widths;
}
