import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateBackend, invalidNameReason, registerLayer, templateValues } from './new-backend.mjs';

const roots = [];
const temporaryRoot = () => {
  const root = mkdtempSync(join(tmpdir(), 'new-backend-'));
  roots.push(root);
  return root;
};
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

describe('new-backend', () => {
  it('derives the package and class names from a kebab-case name', () => {
    expect(templateValues('web-nn')).toEqual({
      name: 'web-nn',
      packageName: '@descent/backend-web-nn',
      className: 'WebNnBackend',
      bufferType: 'WebNnBuffer',
    });
  });

  it('explains what is wrong with a name', () => {
    expect(invalidNameReason('wasm')).toBeNull();
    expect(invalidNameReason(undefined)).toBe('give the backend a name, e.g. `pnpm new-backend wasm`');
    expect(invalidNameReason('WASM')).toMatch(/^'WASM' is not a valid backend name: use lowercase letters/);
    expect(invalidNameReason('2d')).toMatch(/starting with a letter/);
    expect(invalidNameReason('backend-wasm')).toBe('give the name without the prefix: `pnpm new-backend wasm`');
    expect(invalidNameReason('testkit')).toContain("conformance suite's package");
  });

  it('adds a LAYERS row after the last backend row, once', () => {
    const root = temporaryRoot();
    mkdirSync(join(root, 'tooling/scripts'), { recursive: true });
    const path = join(root, 'tooling/scripts/check-layers.mjs');
    writeFileSync(
      path,
      [
        'export const LAYERS = {',
        "  '@descent/backend': { layer: 0, mayImport: [] },",
        "  '@descent/backend-cpu': { layer: 1, mayImport: ['@descent/backend'] },",
        "  '@descent/backend-webgpu': { layer: 1, mayImport: ['@descent/backend'] },",
        "  '@descent/tensor': { layer: 2, mayImport: ['@descent/backend', '@descent/backend-cpu'] },",
        '};',
        '',
      ].join('\n'),
    );
    expect(registerLayer(root, '@descent/backend-wasm')).toBe(true);
    expect(registerLayer(root, '@descent/backend-wasm')).toBe(true);
    expect(readFileSync(path, 'utf8').split('\n').slice(3, 5)).toEqual([
      "  '@descent/backend-webgpu': { layer: 1, mayImport: ['@descent/backend'] },",
      "  '@descent/backend-wasm': { layer: 1, mayImport: ['@descent/backend'] },",
    ]);
  });

  it('writes every template with its placeholders filled, and refuses to overwrite', () => {
    const root = temporaryRoot();
    const result = generateBackend({ root, name: 'wasm' });
    expect(result.files.sort()).toEqual(
      [
        'CHANGELOG.md',
        'README.md',
        'package.json',
        'src/index.ts',
        'src/wasm-backend.ts',
        'test/conformance.test.ts',
        'tsconfig.build.json',
        'tsconfig.json',
      ].map((file) => `packages/backend-wasm/${file}`),
    );
    expect(result.layered).toBe(false); // no check-layers.mjs in this bare root
    for (const file of result.files) expect(readFileSync(join(root, file), 'utf8')).not.toMatch(/\{\{|__name__/);
    expect(readFileSync(join(root, 'packages/backend-wasm/src/wasm-backend.ts'), 'utf8')).toContain('export class WasmBackend implements Backend<WasmBuffer>');
    expect(JSON.parse(readFileSync(join(root, 'packages/backend-wasm/package.json'), 'utf8')).name).toBe('@descent/backend-wasm');
    expect(() => generateBackend({ root, name: 'wasm' })).toThrow('packages/backend-wasm already exists: pick another name, or delete it to start over');
  });
});
