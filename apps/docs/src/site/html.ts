// Reading built pages as a reader sees them, for the tests that check the built site.

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', '#39': "'", nbsp: ' ' };

/**
 * Text from HTML: no scripts, styles or tags, entities decoded, runs of whitespace as one space. A tag reads as a
 * space (`<p>a</p><p>b</p>` is two words), or as nothing with `tagsAs: ''` (highlighted code, one span a token).
 */
export function visibleText(html: string, tagsAs = ' '): string {
  return html
    .replace(/<(script|style|template)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, tagsAs)
    .replace(/&(lt|gt|amp|quot|#39|nbsp);/g, (_, name: string) => ENTITIES[name] ?? '')
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/\s+/g, ' ');
}

/** A VitePress page's content (`<main>`), without the navigation and sidebar around it. */
export function mainContent(html: string): string {
  const start = html.indexOf('<main');
  const end = html.indexOf('</main>', start);
  return start < 0 || end < 0 ? '' : html.slice(start, end);
}

/** The sidebar's HTML (VitePress renders it into every page that has one). */
export function sidebar(html: string): string {
  const start = html.indexOf('<aside class="VPSidebar"');
  const end = html.indexOf('</aside>', start);
  return start < 0 || end < 0 ? '' : html.slice(start, end);
}

/** The text of each code block, in order, as one line: `new Linear( inFeatures, ... ): Linear;`. */
export function codeBlocks(html: string): string[] {
  return [...html.matchAll(/<pre\b[^>]*>\s*<code[^>]*>([\s\S]*?)<\/code>\s*<\/pre>/g)].map((m) => visibleText(m[1] ?? '', '').trim());
}

/** Every link's target in `html`, as a site path (`/api/@descent/nn/classes/Linear.html`), `page` being its path. */
export function linkTargets(html: string, page: string): string[] {
  const base = new URL(page, 'https://site.invalid/');
  return [...html.matchAll(/<a\b[^>]*\bhref="([^"#]+)[^"]*"/g)].map((m) => new URL(m[1]!.replace(/&amp;/g, '&'), base).pathname);
}
