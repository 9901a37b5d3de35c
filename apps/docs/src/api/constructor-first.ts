// Class pages start with the constructor. nn modules are callable classes: `interface Module { (...inputs):
// ReturnType<this['forward']> }` merges a call signature into `class Module`, so TypeDoc gives every module a
// class-level `(...inputs): Tensor` signature, which typedoc-plugin-markdown prints above the constructor as if
// `Linear(...inputs)` built a Linear; containers' `[index: number]: Module` is printed there too. The reference
// drops both signatures and says in the class's summary, in words, how a call and an index behave.
import { Comment, ReflectionKind, type DeclarationReflection, type ProjectReflection, type SignatureReflection } from 'typedoc';

/** Removes class-level call and index signatures, noting each in its class's summary. Returns the classes changed. */
export function constructorFirst(project: ProjectReflection): string[] {
  const changed: string[] = [];
  for (const cls of project.getReflectionsByKind(ReflectionKind.Class) as DeclarationReflection[]) {
    const calls = (cls.signatures ?? []).filter((s) => s.kind === ReflectionKind.CallSignature);
    const indexes = cls.indexSignatures ?? [];
    if (!calls.length && !indexes.length) continue;
    const notes = [...(calls.length ? [callNote(cls)] : []), ...indexes.map((s) => indexNote(cls, s))];
    for (const signature of [...calls, ...indexes]) project.removeReflection(signature);
    cls.comment ??= new Comment();
    cls.comment.summary.push({ kind: 'text', text: `\n\n${notes.join(' ')}` });
    changed.push(cls.name);
  }
  return changed;
}

/** `linear` for `Linear`: how the pages name an instance. */
function instanceName(cls: DeclarationReflection): string {
  return cls.name.charAt(0).toLowerCase() + cls.name.slice(1);
}

/** "Instances are callable: `linear(input)` runs `linear.forward(input)`.", with the class's forward parameters. */
function callNote(cls: DeclarationReflection): string {
  const instance = instanceName(cls);
  const forward = cls.getChildByName('forward') as DeclarationReflection | undefined;
  const params = (forward?.signatures?.[0]?.parameters ?? []).map((p) => `${p.flags.isRest ? '...' : ''}${p.name.replace(/^_+/, '')}`).join(', ');
  return `Instances are callable: \`${instance}(${params})\` runs \`${instance}.forward(${params})\`.`;
}

/** "Indexable: `sequential[index]` is a `Module`." */
function indexNote(cls: DeclarationReflection, signature: SignatureReflection): string {
  const key = signature.parameters?.[0]?.name ?? 'key';
  return `Indexable: \`${instanceName(cls)}[${key}]\` is a \`${signature.type?.toString() ?? 'value'}\`.`;
}
