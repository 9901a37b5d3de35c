// Loads the PyTorch golden files (see shared/fixtures/README.md).

import { loadFixture } from '@descent/test-fixtures';

export { loadFixture };

/** A golden file generated for this package (test/fixtures/NAME.json, see tooling/fixtures/). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
export function loadLocalFixture(name: string): any {
  return loadFixture(name, new URL('./fixtures/', import.meta.url));
}
