/** A failure the user can fix (a bad file, no GPU): printed as one line, without a stack trace. */
export class DemoError extends Error {
  override name = 'DemoError';
}
