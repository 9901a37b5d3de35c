// Maps an error thrown by a playground script to the line of the script the user wrote. Scripts run as the body
// of an AsyncFunction, named by a `//# sourceURL` comment so their stack frames say `playground-script.js:L:C`;
// the engine counts L from the top of the whole generated function, whose header (the parameter list) takes a few
// lines, how many depending on the engine. A probe function with the same header measures it.

/** The file name stack frames give a playground script. */
export const SCRIPT_URL = 'playground-script.js';
/** What a script sees in scope, in order: the parameters of the generated function. */
export const SCRIPT_PARAMETERS = ['torch', 'device', 'print', 'plot', 'showPredictions'] as const;

type ScriptFunction = (...args: unknown[]) => Promise<unknown>;
export const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => ScriptFunction;

/** Builds the script's function; throws the engine's SyntaxError (which carries no line) for invalid JavaScript. */
export function compileScript(source: string): ScriptFunction {
  return new AsyncFunction(...SCRIPT_PARAMETERS, `${source}\n//# sourceURL=${SCRIPT_URL}`);
}

const PROBE_URL = 'playground-line-probe.js';
let headerLines: number | undefined;

/** How many lines the engine puts before the body's first line, measured once. */
function measureHeaderLines(): number {
  if (headerLines === undefined) {
    // An async function runs synchronously up to its first await: the probe stores an Error made on body line 1.
    const probe = new AsyncFunction(...SCRIPT_PARAMETERS, `${SCRIPT_PARAMETERS[0]}.error = new Error();\n//# sourceURL=${PROBE_URL}`);
    const box: { error?: Error } = {};
    void probe(box);
    headerLines = (lineIn(box.error?.stack ?? '', PROBE_URL) ?? 1) - 1;
  }
  return headerLines;
}

/** The first `url:line` in a stack (V8 writes `url:L:C`, Firefox and Safari `@url:L:C`). */
function lineIn(stack: string, url: string): number | null {
  const match = new RegExp(`${url.replace(/[.]/g, '\\.')}:(\\d+):\\d+`).exec(stack);
  return match ? Number(match[1]) : null;
}

/** The line of the user's script an error was thrown from (its innermost frame in the script), or null. */
export function scriptLineOf(error: unknown): number | null {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  const line = lineIn(stack, SCRIPT_URL);
  return line === null ? null : line - measureHeaderLines();
}
