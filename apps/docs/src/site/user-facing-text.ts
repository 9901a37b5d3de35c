// What the built site must not say to its readers: paths of the machine that built it, words from the work
// that produced it (issues, sessions), commands only contributors run (outside the contributing page), how the
// notebooks reached the project instead of what they are, and `#region` markers meant for the snippet imports.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { visibleText } from './html.js';

export interface TextRule {
  readonly name: string;
  readonly pattern: RegExp;
  /** Pages (paths under dist, e.g. `guide/contributing.html`) where the rule does not apply. */
  readonly allowedOn?: RegExp;
}

const CONTRIBUTING = /^guide\/contributing\.html$/;

export const TEXT_RULES: readonly TextRule[] = [
  { name: 'a path on the build machine', pattern: /(?<![\w.~-])\/(?:work|tmp|home|root|Users|var\/folders)\/[\w.-]/ },
  { name: 'a Windows user path', pattern: /\b[A-Z]:\\Users\\/ },
  { name: 'an issue', pattern: /\bissue(?:'s)?\s*#\s*\d*|\b(?:the|this|that) issue(?:'s)?\b|\bfiled\b/i },
  { name: 'a work session', pattern: /\bsessions?\b|\bthis stop\b/i },
  { name: 'a machine lent for the work', pattern: /\blent\b/i },
  {
    name: 'a contributor command',
    pattern: /\bpnpm (?:changeset|new-backend|turbo|test|lint|typecheck)\b|\bpnpm --filter\b|\bturbo run\b|\bnpx vitest\b|\bvitest run\b|\bexamples:update\b|\bdocs:(?:build|dev)\b/,
    allowedOn: CONTRIBUTING,
  },
  {
    name: 'how the notebooks reached the project',
    pattern: /\bseed notebooks?\b|\bfixtures?\b|\bgolden\b|\bnotebooks? (?:we|you) (?:were|was) given\b|\bgiven to us\b/i,
    allowedOn: CONTRIBUTING,
  },
  { name: 'a #region marker', pattern: /#\s?(?:end\s?)?region\b/i },
];

export interface Finding {
  readonly page: string;
  readonly rule: string;
  /** The words around the match. */
  readonly context: string;
}

/** Every rule a text breaks, with some context for each match. */
export function checkText(page: string, text: string, rules: readonly TextRule[] = TEXT_RULES): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    if (rule.allowedOn?.test(page)) continue;
    for (const match of text.matchAll(new RegExp(rule.pattern.source, `${rule.pattern.flags.replace('g', '')}g`))) {
      const at = match.index ?? 0;
      findings.push({ page, rule: rule.name, context: text.slice(Math.max(0, at - 50), at + match[0].length + 50).trim() });
    }
  }
  return findings;
}

/** The built pages under `dist` (the HTML files; `assets/` holds scripts), as paths relative to it. */
export function builtPages(dist: string): string[] {
  const pages: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'assets') walk(path);
      else if (entry.isFile() && entry.name.endsWith('.html')) pages.push(relative(dist, path).split(sep).join('/'));
    }
  };
  walk(dist);
  return pages.sort();
}

/** Checks every built page of the site in `dist`. */
export function checkBuiltSite(dist: string): Finding[] {
  return builtPages(dist).flatMap((page) => checkText(page, visibleText(readFileSync(join(dist, page), 'utf8'))));
}
