import type { Module } from './module.js';

/** PyTorch's `Module.__repr__`: the class name, `extraRepr()`, then each child indented under `(name): `. */
export function moduleRepr(module: Module): string {
  const extra = module.extraRepr();
  const extraLines = extra ? extra.split('\n') : [];
  const childLines = module._ownModules().map(([name, child]) => `(${name}): ${addIndent(child.toString(), 2)}`);
  const lines = [...extraLines, ...childLines];
  let main = `${module._getName()}(`;
  if (lines.length) {
    main += extraLines.length === 1 && !childLines.length ? extraLines[0] : `\n  ${lines.join('\n  ')}\n`;
  }
  return `${main})`;
}

/** Indents every line but the first, as PyTorch's `_addindent`. */
function addIndent(text: string, spaces: number): string {
  const lines = text.split('\n');
  if (lines.length === 1) return text;
  const pad = ' '.repeat(spaces);
  return [lines[0], ...lines.slice(1).map((l) => pad + l)].join('\n');
}
