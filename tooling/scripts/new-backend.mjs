#!/usr/bin/env node
// `pnpm new-backend <name>`: creates packages/backend-<name>, a backend skeleton wired to the conformance suite,
// from tooling/templates/backend, and gives the package its layer in check-layers.mjs.
// Usage: node tooling/scripts/new-backend.mjs <name> [--root <workspace root>]
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const TEMPLATES = join(dirname(fileURLToPath(import.meta.url)), '../templates/backend');
const NAME_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** `my-accel` -> the words a template fills in: `MyAccelBackend`, `@descent/backend-my-accel`... */
export function templateValues(name) {
  const pascal = name
    .split('-')
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join('');
  return {
    name,
    packageName: `@descent/backend-${name}`,
    className: `${pascal}Backend`,
    bufferType: `${pascal}Buffer`,
  };
}

/** Why `name` cannot name a backend, or null when it can. */
export function invalidNameReason(name) {
  if (typeof name !== 'string' || name.length === 0) return 'give the backend a name, e.g. `pnpm new-backend wasm`';
  if (name.startsWith('backend-')) return `give the name without the prefix: \`pnpm new-backend ${name.slice('backend-'.length)}\``;
  if (!NAME_PATTERN.test(name)) {
    return `'${name}' is not a valid backend name: use lowercase letters, digits and single hyphens, starting with a letter (e.g. 'wasm', 'web-nn')`;
  }
  if (name === 'testkit') return "'testkit' is the conformance suite's package, not a backend";
  return null;
}

function render(text, values) {
  return text.replace(/\{\{(\w+)\}\}/g, (match, key) => {
    if (!(key in values)) throw new Error(`template placeholder ${match} has no value`);
    return values[key];
  });
}

function templateFiles(directory, prefix = '') {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? templateFiles(join(directory, entry.name), join(prefix, entry.name))
      : entry.name.endsWith('.tmpl')
        ? [join(prefix, entry.name)]
        : [],
  );
}

/**
 * Adds `'<package>': { layer: 1, mayImport: ['@descent/backend'] }` after the last backend row of LAYERS, so the
 * layering check accepts the new package. Returns false when the script's layout is not the expected one.
 */
export function registerLayer(root, packageName) {
  const path = join(root, 'tooling/scripts/check-layers.mjs');
  if (!existsSync(path)) return false;
  const text = readFileSync(path, 'utf8');
  if (text.includes(`'${packageName}':`)) return true;
  const rows = [...text.matchAll(/^( *)'@descent\/backend-[a-z0-9-]+': \{ layer: 1, mayImport: \['@descent\/backend'\] \},\n/gm)];
  const last = rows.at(-1);
  if (!last) return false;
  const at = last.index + last[0].length;
  const row = `${last[1]}'${packageName}': { layer: 1, mayImport: ['@descent/backend'] },\n`;
  writeFileSync(path, text.slice(0, at) + row + text.slice(at));
  return true;
}

/** Writes packages/backend-<name> from the templates; returns the new package's directory and files. */
export function generateBackend({ root, name }) {
  const reason = invalidNameReason(name);
  if (reason) throw new Error(reason);
  const values = templateValues(name);
  const directory = join(root, 'packages', `backend-${name}`);
  if (existsSync(directory)) {
    throw new Error(`${relative(root, directory)} already exists: pick another name, or delete it to start over`);
  }
  const files = templateFiles(TEMPLATES).map((template) => {
    const target = join(directory, template.replace(/\.tmpl$/, '').replaceAll('__name__', name));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, render(readFileSync(join(TEMPLATES, template), 'utf8'), values));
    return relative(root, target);
  });
  const layered = registerLayer(root, values.packageName);
  return { directory, files, layered, ...values };
}

function main(argv) {
  const rootFlag = argv.indexOf('--root');
  const root = resolve(rootFlag >= 0 ? argv[rootFlag + 1] : join(dirname(fileURLToPath(import.meta.url)), '../..'));
  const name = argv.filter((arg, i) => !arg.startsWith('--') && !(rootFlag >= 0 && i === rootFlag + 1))[0];
  let result;
  try {
    result = generateBackend({ root, name });
  } catch (error) {
    console.error(`new-backend: ${error.message}`);
    return 1;
  }
  const where = relative(root, result.directory);
  console.log(`Created ${result.packageName} in ${where}:`);
  for (const file of result.files) console.log(`  ${file}`);
  console.log(
    result.layered
      ? `Added ${result.packageName} to LAYERS in tooling/scripts/check-layers.mjs (layer 1, imports @descent/backend).`
      : `Add ${result.packageName} to LAYERS in tooling/scripts/check-layers.mjs: { layer: 1, mayImport: ['@descent/backend'] }.`,
  );
  console.log(`
Next (CONTRIBUTING.md, "Write a backend"):
  pnpm install                                   link the new package
  pnpm --filter ${result.packageName}... build   build it and what it depends on
  cd ${where} && npx vitest run                  the conformance suite lists each primitive left to write
Write the kernels in src/${name}-backend.ts until the suite is green, then run \`pnpm changeset\`.`);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main(process.argv.slice(2));
