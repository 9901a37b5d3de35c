// Checks the "From PyTorch" page against what `@descent/torch` exports: every exported value (in every namespace) and
// every public Tensor method must be named in the page's Descent column, and everything that column names must
// exist.

/** The cells of a markdown table row; pipes inside code spans do not split cells. */
export function tableCells(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let inCode = false;
  for (const ch of line.trim().replace(/^\|/, '').replace(/\|$/, '')) {
    if (ch === '`') inCode = !inCode;
    if (ch === '|' && !inCode) {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}

/**
 * The names the Descent column (the second cell of each table row) mentions in code spans: `torch.a.b` paths,
 * and `x.name` for tensor members.
 */
export function referencedNames(markdown: string): Set<string> {
  const names = new Set<string>();
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|') || /^\|\s*-/.test(line)) continue;
    const descent = tableCells(line)[1] ?? '';
    if (descent === 'Descent') continue;
    for (const [, code] of descent.matchAll(/`([^`]+)`/g)) {
      for (const [path] of code.matchAll(/(?<![\w$.])torch(?:\.[A-Za-z_$][\w$]*)+/g)) names.add(path);
      for (const [, member] of code.matchAll(/(?<![\w$.])x\.([A-Za-z_$][\w$]*)/g)) names.add(`x.${member}`);
    }
  }
  return names;
}

function isNamespace(value: unknown): value is Record<string, unknown> {
  return Object.prototype.toString.call(value) === '[object Module]';
}

/** `torch.*` paths of every exported value, descending into namespaces (`torch.nn.functional.mseLoss`). */
export function exportedPaths(torch: Record<string, unknown>, prefix = 'torch'): string[] {
  const paths: string[] = [];
  for (const key of Object.keys(torch).sort()) {
    const value = torch[key];
    if (isNamespace(value)) paths.push(...exportedPaths(value, `${prefix}.${key}`));
    else paths.push(`${prefix}.${key}`);
  }
  return paths;
}

/** `x.*` for every public member of a Tensor: prototype methods and getters, and the instance fields. */
export function tensorMembers(tensorClass: { prototype: object }, instance: object): string[] {
  const names = new Set<string>([...Object.getOwnPropertyNames(tensorClass.prototype), ...Object.keys(instance)]);
  return [...names].filter((n) => n !== 'constructor' && !n.startsWith('_')).sort().map((n) => `x.${n}`);
}

export interface MappingReport {
  /** Exports the page has no row for. */
  readonly missing: string[];
  /** Names the page mentions that `@descent/torch` does not have. */
  readonly unknown: string[];
}

export function checkMapping(markdown: string, torch: Record<string, unknown>, tensorClass: { prototype: object }, instance: object): MappingReport {
  const referenced = referencedNames(markdown);
  const members = tensorMembers(tensorClass, instance);
  const expected = [...exportedPaths(torch), ...members];
  const missing = expected.filter((name) => !referenced.has(name));
  const known = new Set(members);
  const exists = (name: string): boolean => {
    if (name.startsWith('x.')) return known.has(name);
    let value: unknown = torch;
    for (const key of name.split('.').slice(1)) {
      if (value === null || (typeof value !== 'object' && typeof value !== 'function') || !(key in (value as object))) return false;
      value = (value as Record<string, unknown>)[key];
    }
    return true;
  };
  const unknown = [...referenced].filter((name) => !exists(name)).sort();
  return { missing, unknown };
}
