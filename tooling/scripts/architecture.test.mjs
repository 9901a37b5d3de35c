// Keeps the op table in ARCHITECTURE.md true: one row per op of `DiffOpParams` and `PlainOpParams`
// (packages/tensor/src/op-params.ts), paths that exist, the gradient rule where there is one, and a forward file
// that really runs the op. The TypeScript sources are read with the compiler's parser, so comments and formatting
// don't matter. The last block breaks the table on purpose, to show each check can fail.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const ARCHITECTURE = 'ARCHITECTURE.md';
const OP_PARAMS = 'packages/tensor/src/op-params.ts';
const RULES_FILE = 'packages/autograd/src/rules.ts';
const OPS_DIR = 'packages/tensor/src/ops';
const HEADER = ['op', 'forward', 'gradient', 'CPU kernel', 'WGSL'];
/** Where each column's paths must live. */
const COLUMN_ROOTS = {
  forward: `${OPS_DIR}/`,
  cpu: 'packages/backend-cpu/src/',
  wgsl: 'packages/backend-webgpu/src/',
};
/** A repo-relative path written in a cell (in backticks or not). */
const PATH = /(?:packages|tooling|apps|fixtures)\/[A-Za-z0-9_.\-/]*[A-Za-z0-9_]/g;

function read(path) {
  return readFileSync(join(ROOT, path), 'utf8');
}

function parse(path) {
  return ts.createSourceFile(path, read(path), ts.ScriptTarget.Latest, true);
}

function nameOf(name) {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) ? name.text : null;
}

/** The member names of `interface <name>` in `source`. */
function interfaceKeys(source, name) {
  let keys = null;
  source.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node) && node.name.text === name) {
      keys = node.members.map((member) => member.name && nameOf(member.name)).filter(Boolean);
    }
  });
  if (!keys) throw new Error(`${source.fileName} declares no interface ${name}`);
  return keys;
}

/** The keys of the object literal assigned to `const <name>` (through `as` / `satisfies`). */
function objectKeys(source, name) {
  let keys = null;
  const visit = (node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name && node.initializer) {
      let init = node.initializer;
      while (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isParenthesizedExpression(init)) init = init.expression;
      if (ts.isObjectLiteralExpression(init)) keys = init.properties.map((p) => p.name && nameOf(p.name)).filter(Boolean);
    }
    node.forEachChild(visit);
  };
  visit(source);
  if (!keys) throw new Error(`${source.fileName} has no object literal named ${name}`);
  return keys;
}

/** Every string literal in a file (code only: comments are not nodes), and the literals in `run(...)`'s first argument. */
function literalsOf(source) {
  const all = new Set();
  const runOps = new Set();
  let callsRun = false;
  const collect = (node, into) => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) into.add(node.text);
    node.forEachChild((child) => collect(child, into));
  };
  const visit = (node) => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) all.add(node.text);
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'run') {
      callsRun = true;
      if (node.arguments[0]) collect(node.arguments[0], runOps);
    }
    node.forEachChild(visit);
  };
  visit(source);
  return { all, runOps, callsRun };
}

function splitRow(line) {
  return line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((cell) => cell.trim());
}

/** The rows of the table whose header is `HEADER`, with their 1-based line numbers. */
function opTable(markdown) {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.trim().startsWith('|') && splitRow(line).join('|') === HEADER.join('|'));
  if (start < 0) throw new Error(`${ARCHITECTURE} has no table with the header | ${HEADER.join(' | ')} |`);
  const rows = [];
  for (let i = start + 2; i < lines.length && lines[i].trim().startsWith('|'); i++) {
    const cells = splitRow(lines[i]);
    const [op, forward, gradient, cpu, wgsl] = cells;
    rows.push({ line: i + 1, cells: cells.length, op: op.replace(/`/g, ''), forward, gradient, cpu, wgsl });
  }
  return rows;
}

function pathsIn(cell) {
  return cell.match(PATH) ?? [];
}

function isFile(path) {
  return existsSync(join(ROOT, path)) && statSync(join(ROOT, path)).isFile();
}

/** What the repository says, read once: the op names, the rule keys, and each op module's literals. */
function loadRepository() {
  const params = parse(OP_PARAMS);
  const opModules = readdirSync(join(ROOT, OPS_DIR))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => `${OPS_DIR}/${f}`);
  return {
    diffOps: interfaceKeys(params, 'DiffOpParams'),
    plainOps: interfaceKeys(params, 'PlainOpParams'),
    rules: new Set(objectKeys(parse(RULES_FILE), 'RULES')),
    literals: new Map(opModules.map((path) => [path, literalsOf(parse(path))])),
  };
}

const repo = loadRepository();

/** Every way the table disagrees with the repository, as `{ check, message }` (check: a to e, as in the brief). */
function checkArchitecture(markdown) {
  const problems = [];
  const report = (check, row, message) => problems.push({ check, message: row ? `line ${row.line} (${row.op}): ${message}` : message });
  const rows = opTable(markdown);
  const diff = new Set(repo.diffOps);
  const plain = new Set(repo.plainOps);

  // (a) every op has exactly one row.
  for (const op of [...repo.diffOps, ...repo.plainOps]) {
    const count = rows.filter((row) => row.op === op).length;
    if (count !== 1) report('a', null, `op '${op}' has ${count} rows; it needs exactly one`);
  }
  for (const op of repo.diffOps) if (plain.has(op)) report('a', null, `op '${op}' is in both DiffOpParams and PlainOpParams`);

  for (const row of rows) {
    if (row.cells !== HEADER.length) {
      report('c', row, `has ${row.cells} cells, not ${HEADER.length} (a '|' inside a cell?)`);
      continue;
    }
    // (b) no row names an op that does not exist.
    const isDiff = diff.has(row.op);
    if (!isDiff && !plain.has(row.op)) report('b', row, `'${row.op}' is not a key of DiffOpParams or PlainOpParams in ${OP_PARAMS}`);

    // (c) every path exists, each column points into its own package, and a kernel cell names a file or says none.
    for (const column of ['forward', 'gradient', 'cpu', 'wgsl']) {
      for (const path of pathsIn(row[column])) {
        if (!isFile(path)) report('c', row, `${column} path ${path} does not exist`);
        if (COLUMN_ROOTS[column] && !path.startsWith(COLUMN_ROOTS[column])) report('c', row, `${column} path ${path} is not under ${COLUMN_ROOTS[column]}`);
      }
    }
    const forward = pathsIn(row.forward);
    if (forward.length !== 1) report('c', row, `the forward cell must name exactly one op module, found ${forward.length}`);
    for (const column of ['cpu', 'wgsl']) {
      if (pathsIn(row[column]).length === 0 && !/^none\b/.test(row[column])) report('c', row, `the ${column} cell names no file and does not say "none (...)"`);
    }

    // (d) differentiable ops point at their rule; plain ops have none.
    if (isDiff) {
      const gradient = pathsIn(row.gradient);
      if (gradient.length !== 1 || gradient[0] !== RULES_FILE) report('d', row, `gradient must be ${RULES_FILE}, got "${row.gradient}"`);
      if (!repo.rules.has(row.op)) report('d', row, `RULES in ${RULES_FILE} has no '${row.op}' key`);
    } else if (plain.has(row.op) && row.gradient !== 'none') {
      report('d', row, `'${row.op}' is in PlainOpParams (no gradient): the gradient cell must say none, got "${row.gradient}"`);
    }

    // (e) the forward file calls run() and names the op as a string literal (`run('sum', ...)`, `arithmetic('add', ...)`).
    if (forward.length === 1 && isFile(forward[0])) {
      const literals = repo.literals.get(forward[0]);
      if (!literals) report('e', row, `${forward[0]} is not an op module in ${OPS_DIR}`);
      // A node-only op (no forward computation, e.g. outputPart) lives where its node is made: no run() there.
      else if (!literals.callsRun && !/^none \(a node only/.test(row.cpu)) report('e', row, `${forward[0]} never calls run()`);
      else if (!literals.all.has(row.op)) report('e', row, `${forward[0]} never mentions '${row.op}'`);
    }
  }

  // (e, the other way) a module that runs an op by its literal name is that op's forward file.
  for (const [path, { runOps }] of repo.literals) {
    for (const op of runOps) {
      if (!diff.has(op) && !plain.has(op)) continue;
      const row = rows.find((r) => r.op === op);
      if (row && !pathsIn(row.forward).includes(path)) report('e', row, `${path} calls run('${op}', ...) but the forward cell says "${row.forward}"`);
    }
  }
  return problems;
}

const markdown = read(ARCHITECTURE);
const problems = checkArchitecture(markdown);
const messages = (check, list = problems) => list.filter((p) => p.check === check).map((p) => p.message);

describe('ARCHITECTURE.md, the op table', () => {
  it('is checked against real op lists (the parser found both interfaces and RULES)', () => {
    expect(repo.diffOps.length).toBeGreaterThan(30);
    expect(repo.plainOps.length).toBeGreaterThan(5);
    expect(repo.diffOps).toContain('add');
    expect(repo.plainOps).toContain('upload');
    expect(repo.rules.has('add')).toBe(true);
  });

  it('(a) has exactly one row for every key of DiffOpParams and PlainOpParams', () => {
    expect(messages('a')).toEqual([]);
    expect(opTable(markdown)).toHaveLength(repo.diffOps.length + repo.plainOps.length);
  });

  it('(b) names no op that does not exist', () => {
    expect(messages('b')).toEqual([]);
  });

  it('(c) names only files that exist, each under its own package', () => {
    expect(messages('c')).toEqual([]);
  });

  it('(d) points every differentiable op at its rule in RULES, and says none for the others', () => {
    expect(messages('d')).toEqual([]);
  });

  it('(e) names, as forward, the op module that runs the op through the gate', () => {
    expect(messages('e')).toEqual([]);
  });
});

describe('the table check', () => {
  const lines = markdown.split('\n');
  const rowOf = (op) => opTable(markdown).find((row) => row.op === op);
  const edit = (op, change) => lines.map((line, i) => (i === rowOf(op).line - 1 ? change(line) : line)).join('\n');
  /** The table with one row's cells changed: 0 op, 1 forward, 2 gradient, 3 CPU kernel, 4 WGSL. */
  const editCells = (op, change) =>
    edit(op, (line) => {
      const cells = splitRow(line);
      change(cells);
      return `| ${cells.join(' | ')} |`;
    });
  const found = (check, mutated) => messages(check, checkArchitecture(mutated));
  const including = (...parts) => expect.arrayContaining(parts.map((part) => expect.stringContaining(part)));

  it('fails when a row is removed', () => {
    const mutated = lines.filter((_, i) => i !== rowOf('gather').line - 1).join('\n');
    expect(found('a', mutated)).toEqual(including("op 'gather' has 0 rows"));
  });

  it('fails when a row is repeated', () => {
    expect(found('a', edit('exp', (line) => `${line}\n${line}`))).toEqual(including("op 'exp' has 2 rows"));
  });

  it('fails on a row for an op that does not exist', () => {
    const mutated = edit('exp', (line) => `${line}\n${line.replace('`exp`', '`exp2`')}`);
    expect(found('b', mutated)).toEqual(including("'exp2' is not a key of DiffOpParams or PlainOpParams"));
  });

  it('fails when a path is wrong', () => {
    const mutated = editCells('sum', (cells) => (cells[3] = cells[3].replace(/\.ts`/, '-missing.ts`')));
    expect(found('c', mutated)).toEqual(including('-missing.ts does not exist'));
  });

  it('fails when a path sits in the wrong column', () => {
    const mutated = editCells('mm', (cells) => (cells[4] = cells[3]));
    expect(found('c', mutated)).toEqual(including('is not under packages/backend-webgpu/src/'));
  });

  it('fails when a plain op claims a gradient rule, or a differentiable op claims none', () => {
    const plain = editCells('argmax', (cells) => (cells[2] = `\`${RULES_FILE}\``));
    expect(found('d', plain)).toEqual(including("'argmax' is in PlainOpParams"));
    const diff = editCells('mul', (cells) => (cells[2] = 'none'));
    expect(found('d', diff)).toEqual(including(`(mul): gradient must be ${RULES_FILE}`));
  });

  it('fails when the forward file does not run the op', () => {
    const elsewhere = `${OPS_DIR}/cast.ts`;
    const mutated = editCells('add', (cells) => (cells[1] = `\`${elsewhere}\``));
    expect(found('e', mutated)).toEqual(including(`(add): ${elsewhere} never mentions 'add'`));
    // The file whose run() names the op literally is caught from the other side too.
    const home = pathsIn(rowOf('softmax').forward)[0];
    const moved = editCells('softmax', (cells) => (cells[1] = `\`${elsewhere}\``));
    expect(found('e', moved)).toEqual(including(`${elsewhere} never mentions 'softmax'`, `${home} calls run('softmax', ...)`));
  });
});
