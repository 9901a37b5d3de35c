// The API reference's index page and sidebar, written after TypeDoc renders: the umbrella first (it is what users
// import), then every other package; under each, its namespaces and its pages per class, interface and enum.
import { ReflectionKind, type DeclarationReflection, type ProjectReflection, type Reflection, type Router } from 'typedoc';
import { referenceOrder, UMBRELLA } from './entry-points.js';

export interface SidebarItem {
  text: string;
  link?: string;
  collapsed?: boolean;
  items?: SidebarItem[];
}

/** A rendered page's site link: `@descent/nn/classes/Linear.md` is `/api/@descent/nn/classes/Linear`. */
export function siteLink(url: string): string {
  return `/api/${url.replace(/\.md$/, '').replace(/(^|\/)index$/, '$1')}`;
}

function modulesInOrder(project: ProjectReflection): DeclarationReflection[] {
  const byName = new Map((project.children ?? []).map((m) => [m.name, m]));
  return referenceOrder([...byName.keys()]).map((name) => byName.get(name)!);
}

/** Where a member's own page is, following a re-export to what it re-exports. */
function ownPage(member: DeclarationReflection, router: Router): { name: string; target: Reflection } | null {
  const target = member.isReference() ? member.getTargetReflectionDeep() : member;
  return router.hasOwnDocument(target) ? { name: member.name, target } : null;
}

const PAGE_GROUPS: [string, ReflectionKind][] = [
  ['Classes', ReflectionKind.Class],
  ['Interfaces', ReflectionKind.Interface],
  ['Enums', ReflectionKind.Enum],
];

function containerItems(container: DeclarationReflection, router: Router): SidebarItem[] {
  const pages = (container.children ?? []).flatMap((child) => {
    const page = ownPage(child, router);
    return page ? [{ ...page, kind: page.target.kind }] : [];
  });
  const namespaces = pages
    .filter((p) => p.kind === ReflectionKind.Namespace || p.kind === ReflectionKind.Module)
    .map((p) => ({ text: p.name, link: siteLink(router.getFullUrl(p.target)) }));
  const groups = PAGE_GROUPS.flatMap(([text, kind]) => {
    const items = pages.filter((p) => p.kind === kind).map((p) => ({ text: p.name, link: siteLink(router.getFullUrl(p.target)) }));
    return items.length ? [{ text, collapsed: true, items }] : [];
  });
  return [...namespaces, ...groups];
}

export function referenceSidebar(project: ProjectReflection, router: Router): SidebarItem[] {
  return [
    { text: 'Overview', link: '/api/' },
    ...modulesInOrder(project).map((module) => ({
      text: module.name,
      link: siteLink(router.getFullUrl(module)),
      collapsed: module.name !== UMBRELLA,
      items: containerItems(module, router),
    })),
  ];
}

/** The index page: every module, the umbrella first, with the one line `descriptions` has for it. */
export function referenceIndex(project: ProjectReflection, router: Router, descriptions: ReadonlyMap<string, string>): string {
  const rows = modulesInOrder(project).map((module) => {
    const link = siteLink(router.getFullUrl(module));
    return `| [\`${module.name}\`](${link}) | ${(descriptions.get(module.name) ?? '').replace(/\|/g, '\\|')} |`;
  });
  return [
    '# API reference',
    '',
    `Most programs need one import, \`import * as torch from '${UMBRELLA}'\`: it re-exports the tensor functions at`,
    'the top level and `nn`, `optim`, `autograd`, `utils` and `webgpu` as namespaces, as `torch.*` does in PyTorch.',
    'The other packages are its parts, usable on their own, and the backend interfaces for writing a new backend.',
    '',
    '| package | what it is |',
    '|---|---|',
    ...rows,
    '',
  ].join('\n');
}
