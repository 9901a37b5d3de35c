// Turns the repository's own markdown (CONTRIBUTING.md, BENCHMARKS.md) into fragments the site includes, so the
// site shows the same text the repository does without a copy to keep in step.
import { tableCells } from './mapping/check-mapping.js';

/** Markdown link targets that are site pages or the web stay links; a path into the repository becomes code. */
function isSiteOrWebLink(target: string): boolean {
  return /^(?:[a-z]+:|#|\/)/i.test(target);
}

/**
 * Rewrites a repository markdown file for inclusion in the site: drops its `# Title` (the page has its own),
 * turns links to repository paths (which are not site pages, so VitePress would call them dead) into code
 * spans, gives the first heading about backends the anchor `write-a-backend` that the guides link to, and
 * wraps it all in `v-pre` so Vue leaves any `{{ }}` alone.
 */
export function toSiteFragment(markdown: string, options: { dropTitle?: boolean; backendAnchor?: boolean } = {}): string {
  let text = markdown.replace(/\r\n/g, '\n');
  if (options.dropTitle) text = text.replace(/^# .*\n+/, '');
  let inFence = false;
  let anchored = false;
  const lines = text.split('\n').map((line) => {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (inFence) return line;
    if (options.backendAnchor && !anchored && /^#{2,3} .*\bbackend/i.test(line) && !/\{#[\w-]+\}\s*$/.test(line)) {
      anchored = true;
      return `${line} {#write-a-backend}`;
    }
    return line.replace(/(!?)\[([^\]]+)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g, (whole, bang: string, label: string, target: string) => {
      if (bang || isSiteOrWebLink(target)) return whole;
      return label.startsWith('`') ? label : `${label} (\`${target}\`)`;
    });
  });
  return `<div v-pre>\n\n${lines.join('\n').trim()}\n\n</div>\n`;
}

/**
 * The measurements from one `## <heading>…` section of BENCHMARKS.md, for the Performance page: its "From `file`
 * (date, machine)." line and its tables, without the columns of internal targets. The rest of that file is notes
 * for whoever reruns the benchmarks, not for readers of the site. Null when there is no such section.
 */
export function benchmarkSection(markdown: string, heading: string): string | null {
  const sections = markdown.replace(/\r\n/g, '\n').split(/^## /m).slice(1);
  const section = sections.find((s) => s.startsWith(heading));
  if (!section) return null;
  const provenance = /^From `[^`]+` \([^)]*\)\./m.exec(section)?.[0];
  const tables: string[][] = [];
  let current: string[] | null = null;
  for (const line of section.split('\n')) {
    if (line.startsWith('|')) (current ??= (tables.push([]), tables[tables.length - 1]!)).push(line);
    else current = null;
  }
  if (!tables.length) return null;
  const parts = [...(provenance ? [provenance] : []), ...tables.map(withoutTargetColumns)];
  return `<div v-pre>\n\n${parts.join('\n\n')}\n\n</div>\n`;
}

/** A markdown table without the columns whose header starts with "target". */
function withoutTargetColumns(rows: string[]): string {
  const cells = rows.map(tableCells);
  const keep = (cells[0] ?? []).map((header) => !/^target\b/i.test(header));
  return cells.map((row) => `| ${row.filter((_, i) => keep[i]).join(' | ')} |`).join('\n');
}
