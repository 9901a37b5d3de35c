// Turns the repository's own markdown (CONTRIBUTING.md, BENCHMARKS.md) into fragments the site includes, so the
// site shows the same text the repository does without a copy to keep in step.

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
