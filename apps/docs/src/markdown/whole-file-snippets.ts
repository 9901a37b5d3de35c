// VitePress's `<<< file#name` shows one region of a file without its `#region` / `#endregion` marker lines, but
// `<<< file` (the whole file) shows the markers as written. This markdown-it plugin drops them from whole-file
// snippets too, so a program can carry regions for the pages that quote parts of it and still be shown whole.
import { readFileSync } from 'node:fs';
import type { MarkdownRenderer } from 'vitepress';

/** A line that only marks a region: `// #region x`, `# endregion x`, `/* #region x *\/`, `<!-- #region x -->`. */
const REGION_MARKER = /^\s*(?:\/\/|#|\/\*|<!--)\s*#?\s*(?:end\s?)?region\b.*$/i;

/** The text without its region marker lines. */
export function stripRegionMarkers(text: string): string {
  return text
    .split('\n')
    .filter((line) => !REGION_MARKER.test(line))
    .join('\n');
}

/** Installs the plugin: call from `markdown.config`, after VitePress has installed its snippet plugin. */
export function wholeFileSnippets(md: MarkdownRenderer): void {
  const fence = md.renderer.rules.fence!;
  md.renderer.rules.fence = (tokens, idx, options, env, self) => {
    const token = tokens[idx]!;
    // VitePress's snippet parser leaves [path, region] in token.src and reads the file when rendering.
    const [path, region] = ((token as unknown as { src?: [string, string] }).src ?? []) as [string?, string?];
    if (path && !region) {
      try {
        token.content = stripRegionMarkers(readFileSync(path, 'utf8').replace(/\r\n/g, '\n'));
        (env as { includes?: string[] }).includes?.push(path);
        delete (token as unknown as { src?: unknown }).src;
      } catch {
        // A missing file: VitePress's own renderer reports it.
      }
    }
    return fence(tokens, idx, options, env, self);
  };
}
