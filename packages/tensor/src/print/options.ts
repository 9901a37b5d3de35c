// Print options, mirroring torch.set_printoptions (PyTorch 1.13, torch/_tensor_str.py).

export interface PrintOptionValues {
  /** Digits after the decimal point (default 4). */
  precision: number;
  /** Element count above which the output is summarized with '...' (default 1000). */
  threshold: number;
  /** Items kept at each end of a summarized dimension (default 3). */
  edgeitems: number;
  /** Characters per line before wrapping (default 80). */
  linewidth: number;
  /** Force (true) or forbid (false) scientific notation; undefined lets the formatter decide. */
  sciMode: boolean | undefined;
}

/** The live options read by formatTensor (PyTorch's PRINT_OPTS). */
export const PrintOptions: PrintOptionValues = {
  precision: 4,
  threshold: 1000,
  edgeitems: 3,
  linewidth: 80,
  sciMode: undefined,
};

export type PrintProfile = 'default' | 'short' | 'full';

const PROFILES: Record<PrintProfile, Omit<PrintOptionValues, 'sciMode'>> = {
  default: { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80 },
  short: { precision: 2, threshold: 1000, edgeitems: 2, linewidth: 80 },
  full: { precision: 4, threshold: Infinity, edgeitems: 3, linewidth: 80 },
};

export interface SetPrintOptionsArgs extends Partial<PrintOptionValues> {
  profile?: PrintProfile;
}

/**
 * torch.set_printoptions: a profile is applied first, then the explicit options. As in PyTorch,
 * sciMode is always assigned, so a call that omits it goes back to automatic notation.
 */
export function setPrintOptions(args: SetPrintOptionsArgs = {}): void {
  if (args.profile !== undefined) Object.assign(PrintOptions, PROFILES[args.profile]);
  if (args.precision !== undefined) PrintOptions.precision = args.precision;
  if (args.threshold !== undefined) PrintOptions.threshold = args.threshold;
  if (args.edgeitems !== undefined) PrintOptions.edgeitems = args.edgeitems;
  if (args.linewidth !== undefined) PrintOptions.linewidth = args.linewidth;
  PrintOptions.sciMode = args.sciMode;
}
