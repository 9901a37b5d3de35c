import type { Tensor } from '@descent/torch';
import type { DeviceName } from './device.js';
import type { Reporter } from './reporter.js';

/** What every program runs with: the device its tensors live on and where it prints. */
export interface RunContext {
  device: DeviceName;
  reporter: Reporter;
}

/** A one-element tensor's value. Async so the same code reads CPU and GPU tensors. */
export async function valueOf(t: Tensor): Promise<number> {
  return Number(await t.itemAsync());
}
