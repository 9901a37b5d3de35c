import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type DefaultTheme } from 'vitepress';
import { wholeFileSnippets } from '../src/markdown/whole-file-snippets.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The API reference sidebar, written by scripts/build-api.ts (absent until it has run). */
async function apiSidebar(): Promise<DefaultTheme.SidebarItem[]> {
  const path = here('../pages/api/typedoc-sidebar.json');
  if (!existsSync(path)) return [{ text: 'Run scripts/build-api.ts to generate', link: '/api/' }];
  const { readFile } = await import('node:fs/promises');
  return JSON.parse(await readFile(path, 'utf8')) as DefaultTheme.SidebarItem[];
}

const notebooks: DefaultTheme.SidebarItem[] = [
  { text: '000 · Crop yields by hand', link: '/guide/notebooks/000-crop-yields' },
  { text: '001 · Gradient descent on y = 2x', link: '/guide/notebooks/001-gradient-descent' },
  { text: '002 · Linear regression, y = 2x + 1', link: '/guide/notebooks/002-linear-regression' },
  { text: '003 · Crop yields with built-ins', link: '/guide/notebooks/003-crop-yields-builtins' },
  { text: '004 · Crop yields, seeded', link: '/guide/notebooks/004-crop-yields-seeded' },
];

export default async () =>
  defineConfig({
    title: 'Descent',
    description: "PyTorch's eager API and semantics in TypeScript, for Node and the browser.",
    head: [['link', { rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' }]],
    srcDir: 'pages',
    // pages/generated/ holds fragments that pages include (scripts/sync-repo-pages.ts), not pages of their own.
    srcExclude: ['generated/**'],
    outDir: 'dist',
    // Keep VitePress's dependency cache out of the tree the layering check and ESLint walk.
    cacheDir: 'node_modules/.vitepress-cache',
    cleanUrls: false,
    lastUpdated: false,
    // The default (false) already fails the build on a dead link; said here so nobody relaxes it by accident.
    ignoreDeadLinks: false,
    markdown: { lineNumbers: false, config: wholeFileSnippets },
    themeConfig: {
      nav: [
        { text: 'Guide', link: '/guide/getting-started' },
        { text: 'From PyTorch', link: '/guide/from-pytorch' },
        { text: 'Playground', link: '/playground' },
        { text: 'API', link: '/api/' },
      ],
      sidebar: {
        '/guide/': [
          {
            text: 'Guide',
            items: [
              { text: 'Getting started', link: '/guide/getting-started' },
              { text: 'From PyTorch', link: '/guide/from-pytorch' },
              { text: 'Devices and backends', link: '/guide/devices' },
              { text: 'Beyond one machine', link: '/guide/distributed' },
              { text: 'Check your browser', link: '/guide/browser-check' },
              { text: 'Performance', link: '/guide/performance' },
              { text: 'Contributing', link: '/guide/contributing' },
            ],
          },
          { text: 'Notebooks', items: notebooks },
        ],
        '/api/': [{ text: 'API reference', items: await apiSidebar() }],
      },
      search: { provider: 'local' },
      outline: { level: [2, 3] },
    },
    vite: {
      resolve: {
        alias: [
          // The conformance suite registers vitest tests; in the page they register with a small runner.
          { find: /^vitest$/, replacement: here('../src/conformance/vitest-shim.ts') },
        ],
      },
      // The largest chunk is the local search index (the API reference), loaded only when search opens.
      build: { target: 'es2022', chunkSizeWarningLimit: 3000 },
      // The playground's worker imports Descent, whose Node-only entries are dynamic imports: that needs chunks,
      // which only an ES module worker can load.
      worker: { format: 'es' },
      esbuild: { target: 'es2022' },
      // Pre-bundled up front, so the dev server does not reload the page when the playground first loads Descent.
      optimizeDeps: {
        include: ['uplot', 'codemirror', '@codemirror/lang-javascript', '@descent/torch > @descent/data > papaparse'],
        esbuildOptions: { target: 'es2022' },
      },
    },
  });
