/**
 * A PyTorch checkpoint that `torch.load` cannot read (a truncated or corrupt archive, a pickle that asks for code
 * Descent refuses to run, a dtype Descent cannot hold), or state that `torch.save` cannot write. The message names
 * the file and says what to do.
 */
export class CheckpointError extends Error {
  override name = 'CheckpointError';
}

/** A pickle that ends before its STOP: the legacy reader catches it and reads further into the file. */
export class TruncatedPickleError extends CheckpointError {
  override name = 'TruncatedPickleError';
}
