// Runs real PyTorch (Python is a test dependency only) for the interop tests: which python, whether it has torch,
// the skip/fail rule, and comparing what each side loaded.
import { execFile, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Tensor, type DType } from '@descent/torch';

/** Debian's python3-torch is for the system python, not a pyenv or venv one earlier on PATH. */
export const PYTHON = process.env.DESCENT_PYTHON ?? '/usr/bin/python3';
export const SCRIPTS = dirname(fileURLToPath(import.meta.url));

function probe(): { version: string } | { reason: string } {
  const result = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', timeout: 120_000 });
  if (result.error) return { reason: `${PYTHON} cannot run (${result.error.message})` };
  if (result.status !== 0) return { reason: `${PYTHON} cannot import torch (${result.stderr.trim().split('\n').pop()})` };
  return { version: result.stdout.trim() };
}

export const pytorch = probe();
export const pytorchVersion = 'version' in pytorch ? pytorch.version : '';

/** Whether the python can import `module` (the optional `safetensors` package). */
export function pythonHas(module: string): boolean {
  return 'version' in pytorch && spawnSync(PYTHON, ['-c', `import ${module}`], { timeout: 60_000 }).status === 0;
}

/**
 * `describe`, when PyTorch can run. Without it the suite is skipped with one console line saying how to enable it;
 * with CI=true it fails instead, since CI must install it (tooling/scripts/install-python-torch.sh).
 */
export function describeWithPyTorch(name: string, body: () => void): void {
  if ('version' in pytorch) {
    describe(`${name} (PyTorch ${pytorch.version})`, body);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs PyTorch', () => {
        throw new Error(`${pytorch.reason}: CI must install it (bash tooling/scripts/install-python-torch.sh)`);
      });
    });
    return;
  }
  console.warn(
    `PyTorch interop tests skipped: ${pytorch.reason}. Enable them with \`apt-get install python3-torch\` ` +
      '(or point DESCENT_PYTHON at a python that has torch).',
  );
  describe.skip(name, body);
}

/** Runs `python3 <script> ...args` from this directory; resolves with stdout, rejects with stderr's end. */
export function runPython(args: string[], timeout = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    // no __pycache__ next to the scripts
    const env = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };
    execFile(PYTHON, args, { cwd: SCRIPTS, env, timeout, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${PYTHON} ${args.join(' ')} failed: ${stderr.slice(-3000) || error.message}`));
      else resolve(stdout);
    });
  });
}

/** `interop.py <command> ...`, parsed. */
export async function interop<T>(...args: string[]): Promise<T> {
  return JSON.parse(await runPython([join(SCRIPTS, 'interop.py'), ...args])) as T;
}

/** A free TCP port on localhost (for torchrun's rendezvous). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function number(v: number): Json {
  if (Number.isNaN(v)) return { __float__: 'nan' };
  if (!Number.isFinite(v)) return { __float__: v > 0 ? 'inf' : '-inf' };
  return v;
}

/** A Descent value in describe.py's JSON, so the two sides compare with toEqual (dtypes by their PyTorch names). */
/** An int as describe.py writes it: a JSON number up to 2^53, else {"__int__": digits}. */
function int(v: bigint): Json {
  return v >= -(2n ** 53n) && v <= 2n ** 53n ? Number(v) : { __int__: String(v) };
}

export function describeDescent(value: unknown): Json {
  if (value instanceof Tensor) {
    const elements = Array.from(value.dataSync() as ArrayLike<number | bigint>);
    const data = elements.map((v) => (typeof v === 'bigint' ? int(v) : value.dtype === 'bool' ? v !== 0 : number(v)));
    return { __tensor__: { dtype: value.dtype, shape: [...value.shape], data } };
  }
  if (typeof value === 'number') return number(value);
  if (typeof value === 'bigint') return int(value);
  if (Array.isArray(value)) return value.map(describeDescent);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), describeDescent(v)]));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, describeDescent(v)]));
  }
  return value as Json;
}

/** describe.py's output without its `__type__` marks (OrderedDict), for comparing with {@link describeDescent}. */
export function withoutTypes(value: Json): Json {
  if (Array.isArray(value)) return value.map(withoutTypes);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== '__type__').map(([k, v]) => [k, withoutTypes(v)]));
  }
  return value;
}

/** The Descent dtype each PyTorch dtype loads as: its own, except float16 and bfloat16 (float32). */
const LOADS_AS: Record<string, DType> = {
  float32: 'float32', float64: 'float64', float16: 'float32', bfloat16: 'float32',
  int64: 'int64', int32: 'int32', int16: 'int16', int8: 'int8', uint8: 'uint8', bool: 'bool',
};

/** Checks what Descent loaded against PyTorch's description of the saved object, exactly (int64 as bigints). */
export function expectLoaded(actual: unknown, expected: Json, path = 'value'): void {
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), path).toBe(true);
    expect((actual as unknown[]).length, path).toBe(expected.length);
    return expected.forEach((item, i) => expectLoaded((actual as unknown[])[i], item, `${path}.${i}`));
  }
  if (expected === null || typeof expected !== 'object') return void expect(actual, path).toEqual(expected);
  if ('__float__' in expected) return void expect(actual, path).toEqual({ nan: NaN, inf: Infinity, '-inf': -Infinity }[expected.__float__ as string]);
  if ('__int__' in expected) return void expect(actual, path).toEqual(BigInt(expected.__int__ as string));
  if ('__tensor__' in expected) {
    const { dtype, shape, data } = expected.__tensor__ as { dtype: string; shape: number[]; data: Json[] };
    expect(actual, path).toBeInstanceOf(Tensor);
    const t = actual as Tensor;
    expect([t.dtype, t.shape], path).toEqual([LOADS_AS[dtype], shape]);
    const want = data.map((v): number | bigint | undefined => {
      if (LOADS_AS[dtype] === 'int64') return BigInt(typeof v === 'number' ? v : (v as { __int__: string }).__int__);
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (typeof v === 'number') return LOADS_AS[dtype] === 'float32' ? Math.fround(v) : v;
      return { nan: NaN, inf: Infinity, '-inf': -Infinity }[(v as { __float__: string }).__float__];
    });
    return void expect(Array.from(t.dataSync() as ArrayLike<number | bigint>), path).toEqual(want);
  }
  const keys = Object.keys(expected).filter((k) => k !== '__type__');
  expect(Object.keys(actual as object).sort(), path).toEqual(keys.sort());
  for (const key of keys) expectLoaded((actual as Record<string, unknown>)[key], expected[key], `${path}.${key}`);
}

/**
 * A module output against PyTorch's: same dtype and shape, values within float32 rounding (relative 1e-6). The
 * weights are bit-identical on both sides; the products are not, since PyTorch's BLAS sums in another order.
 */
export function expectSameOutput(actual: Tensor, expected: Json): void {
  const { dtype, shape, data } = (expected as { __tensor__: { dtype: string; shape: number[]; data: number[] } }).__tensor__;
  expect([actual.dtype, actual.shape]).toEqual([dtype, shape]);
  const values = Array.from(actual.dataSync() as Float32Array);
  values.forEach((v, i) => expect(Math.abs(v - data[i]), `element ${i}: ${v} vs ${data[i]}`).toBeLessThanOrEqual(1e-6 * Math.abs(data[i]) + 1e-7));
}
