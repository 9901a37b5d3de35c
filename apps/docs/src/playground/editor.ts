// The playground's code editor: CodeMirror 6 with its basic setup (line numbers, undo, brackets, search) and
// JavaScript highlighting. Mod-Enter runs the script, and an error's line can be marked.
import { javascript } from '@codemirror/lang-javascript';
import { Prec, StateEffect, StateField } from '@codemirror/state';
import { Decoration, keymap, type DecorationSet } from '@codemirror/view';
import { basicSetup, EditorView } from 'codemirror';

export interface EditorOptions {
  readonly parent: HTMLElement;
  readonly doc: string;
  /** Every change to the text. */
  onChange(text: string): void;
  /** Mod-Enter (Ctrl-Enter, Cmd-Enter on a Mac). */
  onRun(): void;
}

const setErrorLine = StateEffect.define<number | null>();
const errorLineMark = Decoration.line({ class: 'cm-error-line' });

/** The line an error came from, highlighted until the text changes or the next run. */
const errorLine = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, transaction) {
    if (transaction.docChanged) return Decoration.none;
    for (const effect of transaction.effects) {
      if (!effect.is(setErrorLine)) continue;
      const line = effect.value;
      if (line === null || line < 1 || line > transaction.state.doc.lines) return Decoration.none;
      return Decoration.set([errorLineMark.range(transaction.state.doc.line(line).from)]);
    }
    return marks;
  },
  provide: (field) => EditorView.decorations.from(field),
});

export function createEditor(options: EditorOptions): EditorView {
  return new EditorView({
    parent: options.parent,
    doc: options.doc,
    extensions: [
      basicSetup,
      javascript(),
      errorLine,
      // Above basicSetup's keymap, where Mod-Enter would insert a blank line.
      Prec.highest(keymap.of([{ key: 'Mod-Enter', run: () => (options.onRun(), true) }])),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) options.onChange(update.state.doc.toString());
      }),
      EditorView.contentAttributes.of({ 'aria-label': 'training script', 'data-testid': 'editor-content' }),
    ],
  });
}

/** Replaces the whole text (a reset, or a script from the URL). */
export function setText(view: EditorView, text: string): void {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

/** Highlights the line an error was thrown from and scrolls to it; null clears it. */
export function markErrorLine(view: EditorView, line: number | null): void {
  const effects: StateEffect<unknown>[] = [setErrorLine.of(line)];
  if (line !== null && line >= 1 && line <= view.state.doc.lines) {
    effects.push(EditorView.scrollIntoView(view.state.doc.line(line).from, { y: 'center' }));
  }
  view.dispatch({ effects });
}
