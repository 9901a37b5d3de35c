// Sorts a module's functions into groups by the source file they come from (`ops/creation.ts` -> "Creation",
// `ops/reduction.ts` -> "Reductions"), so a module's page lists its many functions under headings, each linking to
// the function's own page. The group is a `@category` tag on the function's first signature (where its summary
// lives, so the index still shows that summary), which TypeDoc's categories pick up.
import { basename, dirname } from 'node:path';
import { Comment, CommentTag, ReflectionKind, type Context, type DeclarationReflection, type ProjectReflection } from 'typedoc';

/** Headings for source files whose own name would read badly, or that belong with others. */
const NAMES: Record<string, string> = {
  arithmetic: 'Arithmetic and comparison',
  unary: 'Pointwise math',
  reduction: 'Reductions',
  extremum: 'Reductions',
  linalg: 'Linear algebra',
  views: 'Views and reshaping',
  shape: 'Views and reshaping',
  indexing: 'Indexing and joining',
  random: 'Random numbers',
  generator: 'Random numbers',
  cast: 'Dtypes',
  dtype: 'Dtypes',
  dtypes: 'Dtypes',
  scalar: 'Dtypes',
  'cross-entropy': 'Losses',
  'mse-loss': 'Losses',
  'fused-optim': 'Fused optimizer steps',
  io: 'Saving and loading',
  'node-file': 'Saving and loading',
  safetensors: 'Saving and loading',
  print: 'Printing',
  options: 'Printing',
  'grad-mode': 'Gradient mode',
  graph: 'Autograd',
  scope: 'Memory',
  device: 'Devices',
  'clip-grad-norm': 'Gradient clipping',
  'clip-grad-value': 'Gradient clipping',
  misc: 'Other',
};

/** The heading for functions declared in `file`: `ops/creation.ts` -> "Creation", `random/index.ts` -> "Random numbers". */
export function categoryOfFile(file: string): string {
  let name = basename(file).replace(/\.(d\.)?[cm]?[tj]s$/, '');
  if (name === 'index') name = basename(dirname(file));
  const known = NAMES[name];
  if (known) return known;
  const words = name.replace(/[-_]+/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Source files by function, noted while converting (Converter.EVENT_CREATE_DECLARATION), applied at resolve. */
export class FunctionCategories {
  private readonly files = new Map<DeclarationReflection, string>();

  readonly note = (context: Context, reflection: DeclarationReflection): void => {
    if (reflection.kind !== ReflectionKind.Function) return;
    const symbol = context.getSymbolFromReflection(reflection);
    const file = symbol && context.resolveAliasedSymbol(symbol).declarations?.[0]?.getSourceFile().fileName;
    if (file) this.files.set(reflection, file);
  };

  /** Tags every noted function that has no category of its own (Converter.EVENT_RESOLVE_BEGIN). */
  apply(project: ProjectReflection): void {
    for (const [reflection, file] of this.files) {
      const signature = reflection.signatures?.[0];
      if (!signature || project.getReflectionById(reflection.id) !== reflection) continue;
      const tagged = [reflection.comment, ...(reflection.signatures ?? []).map((s) => s.comment)].some((c) => c?.getTag('@category'));
      if (tagged) continue;
      signature.comment ??= new Comment();
      signature.comment.blockTags.push(new CommentTag('@category', [{ kind: 'text', text: categoryOfFile(file) }]));
    }
  }
}
