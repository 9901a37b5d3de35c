// The playground's parts that run outside a browser: the worker's request handling (device, batching, errors with
// the script's line), the URL the script is shared in, and the syntax-error line from CodeMirror's parser. The
// page itself, with its worker, CodeMirror and Stop, is tested in Chromium (browser.test.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as torch from '@descent/torch';
import { describe, expect, it } from 'vitest';
import { DOCS_ROOT } from '../src/examples/run-example.js';
import type { WorkerMessage } from '../src/playground/protocol.js';
import { handleRunRequest } from '../src/playground/run-request.js';
import { formatPredictions, runScript } from '../src/playground/run-script.js';
import { decodeShare, encodeShare } from '../src/playground/share-url.js';
import { syntaxErrorLine } from '../src/playground/syntax-error-line.js';

const defaultScript = readFileSync(join(DOCS_ROOT, 'src', 'playground', 'default-script.js'), 'utf8');

async function messagesOf(source: string, choice: 'auto' | 'cpu' | 'webgpu' = 'cpu'): Promise<WorkerMessage[]> {
  const messages: WorkerMessage[] = [];
  await handleRunRequest({ type: 'run', source, choice }, torch, (m) => messages.push(m));
  return messages;
}

const printed = (messages: WorkerMessage[]): string[] => messages.flatMap((m) => (m.type === 'print' ? m.lines : []));

describe('a run request, as the worker handles it', () => {
  it('runs the default script on the CPU and prints what runScript prints, then done', async () => {
    const expected: string[] = [];
    await runScript(defaultScript, torch, 'cpu', {
      print: (line) => expected.push(line),
      plot: () => {},
      showPredictions: (p, t) => expected.push(...formatPredictions(p, t)),
    });
    const messages = await messagesOf(defaultScript);
    expect(messages[0]).toEqual({ type: 'backend', device: 'cpu', label: 'CPU' });
    expect(printed(messages)).toEqual(expected);
    expect(messages.flatMap((m) => (m.type === 'plot' ? m.points : []))).toHaveLength(100);
    expect(messages.some((m) => m.type === 'predictions')).toBe(true);
    expect(messages.at(-1)).toEqual({ type: 'done' });
  });

  it('posts a chatty loop in a few batches, every line in order', async () => {
    const messages = await messagesOf('for (let i = 0; i < 20000; i++) print(i);');
    expect(printed(messages)).toEqual(Array.from({ length: 20000 }, (_, i) => String(i)));
    expect(messages.filter((m) => m.type === 'print').length).toBeLessThan(100);
  });

  it.each([
    ['thrown on line 3', 'const x = torch.ones(2, 3);\nprint("before");\nx.matmul(x);\n', 3],
    ['thrown after an await, on line 4', 'const x = torch.ones(2);\nawait print(x);\n\nnull.foo;\n', 4],
    ['thrown inside a function the script calls, from line 2', 'function f() {\n  throw new RangeError("no");\n}\nf();\n', 2],
  ])('reports an error %s with that line', async (_, source, line) => {
    const messages = await messagesOf(source);
    const error = messages.at(-1);
    expect(error).toMatchObject({ type: 'error', line });
    // What ran before the error still comes through, before the error.
    if (source.includes('print("before")')) expect(printed(messages)).toEqual(['before']);
  });

  it('reports a syntax error (which carries no line; the page finds it with the parser)', async () => {
    const error = (await messagesOf('const a = 1;\nconst b = ;\n')).at(-1);
    expect(error).toMatchObject({ type: 'error', name: 'SyntaxError', line: null });
  });

  it('fails a WebGPU request where there is no navigator.gpu, and runs `auto` on the CPU', async () => {
    expect((await messagesOf('print(device)', 'webgpu')).at(-1)).toMatchObject({ type: 'error', line: null, message: expect.stringContaining('WebGPU is not available') });
    const auto = await messagesOf('print(device)', 'auto');
    expect(auto[0]).toMatchObject({ type: 'backend', device: 'cpu', label: expect.stringMatching(/^CPU \(WebGPU unavailable: /) });
    expect(printed(auto)).toEqual(['cpu']);
  });
});

describe('the shared URL', () => {
  it('carries the script and the backend through #code=…&device=…', async () => {
    const source = `${defaultScript}\n// ünïcødé ✓ 😀 & = # ?`;
    const hash = await encodeShare({ source, choice: 'webgpu' });
    expect(hash).toMatch(/^#code=[\w-]+&device=webgpu$/);
    expect(hash.length).toBeLessThan(source.length);
    expect(await decodeShare(hash)).toEqual({ source, choice: 'webgpu' });
    expect(await decodeShare(await encodeShare({ source: 'print(1)', choice: 'auto' }))).toEqual({ source: 'print(1)', choice: 'auto' });
  });

  it('has no script without #code=, and says so when the code is damaged', async () => {
    expect(await decodeShare('')).toBeNull();
    expect(await decodeShare('#intro')).toBeNull();
    await expect(decodeShare('#code=AAAA')).rejects.toThrow();
  });
});

describe('the line of a syntax error', () => {
  it.each([
    ['const a = 1;\nconst b = ;\n', 2],
    ['const x = [1, 2\nprint(x)\n', 2],
    ['for (let i = 0; i < 3; i++) {\n  print(i)\n', 3],
  ])('%j is on line %i', (source, line) => {
    expect(syntaxErrorLine(source)).toBe(line);
  });

  it('is null for valid scripts, top-level await included', () => {
    expect(syntaxErrorLine(defaultScript)).toBeNull();
  });
});
