// The engine's SyntaxError for a script (from the Function constructor) carries no line in V8. CodeMirror's
// JavaScript parser (Lezer, error-tolerant) already parses the script for the editor: its first error node is
// where the script stops being JavaScript.
import { javascriptLanguage } from '@codemirror/lang-javascript';

/** The 1-based line of the first syntax error in `source`, or null when the parser finds none. */
export function syntaxErrorLine(source: string): number | null {
  let at = -1;
  javascriptLanguage.parser.parse(source).iterate({
    enter: (node) => {
      if (at >= 0) return false;
      if (node.type.isError) at = node.from;
      return undefined;
    },
  });
  return at < 0 ? null : source.slice(0, at).split('\n').length;
}
