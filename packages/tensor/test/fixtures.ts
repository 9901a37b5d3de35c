// Loads the PyTorch golden files (see fixtures/README.md): one loader for every package's tests.
export { loadFixture, parsePythonJson } from '@descent/test-fixtures';
