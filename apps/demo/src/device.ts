import { DemoError } from './demo-error.js';

export const DEVICE_NAMES = ['cpu', 'webgpu'] as const;
export type DeviceName = (typeof DEVICE_NAMES)[number];

/** Makes `device` usable: the CPU always is; WebGPU needs an adapter, found once per process. */
export async function openDevice(device: DeviceName): Promise<void> {
  if (device === 'cpu') return;
  const torch = await import('@descent/torch');
  try {
    await torch.webgpu.init();
  } catch (error) {
    const reason = (error as Error).message.replace(/\s*\n\s*/g, ' ');
    throw new DemoError(`--device webgpu is not available here: ${reason}`);
  }
}

/** Releases the GPU so the process can exit at once. */
export async function closeDevice(device: DeviceName): Promise<void> {
  if (device === 'cpu') return;
  const torch = await import('@descent/torch');
  if (torch.webgpu.isAvailable()) torch.webgpu.shutdown();
}

/** One line per device: what it runs on, or why it cannot be used. */
export async function describeDevices(): Promise<string[]> {
  const lines = ['cpu: available (TypedArray kernels, no native code)'];
  try {
    await openDevice('webgpu');
    const torch = await import('@descent/torch');
    lines.push(`webgpu: available (${torch.webgpu.info()})`);
    await closeDevice('webgpu');
  } catch (error) {
    lines.push(`webgpu: unavailable: ${(error as Error).message}`);
  }
  return lines;
}
