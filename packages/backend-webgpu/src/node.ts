/// <reference types="@webgpu/types" preserve="true" />
/**
 * Node entry: creates a WebGPU backend with Dawn through the npm package `webgpu`. Only this file imports it, so
 * the rest of the package runs in browsers unchanged.
 *
 * Adapter choice: Vulkan first, then Dawn's OpenGL ES compatibility adapter; `DESCENT_WEBGPU_ADAPTER=vulkan|opengl`
 * forces one. The device is destroyed when the process is about to exit, which lets Node exit on its own.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { requestDevice } from './request.js';
import { createWebGPUBackend, type WebGPUBackend, type WebGPUBackendOptions } from './webgpu-backend.js';

/**
 * Node's garbage collector, run on demand (see `WebGPUBackendOptions.gc`), or null if V8 refuses the flags. Both
 * come from a fresh context, where flags set now apply: `gc`, and a FinalizationRegistry with `cleanupSome()`, which
 * runs the callbacks a collection made due at once instead of in a later task. Where this V8 has no
 * `cleanupSome`, the registry is the ordinary one and the buffers come back at the loop's next await.
 */
function nodeGc(): WebGPUBackendOptions['gc'] | null {
  try {
    setFlagsFromString('--expose-gc');
    setFlagsFromString('--harmony-weak-refs-with-cleanup-some');
    const fresh = runInNewContext('({ gc, FinalizationRegistry })') as {
      gc: () => void;
      FinalizationRegistry: FinalizationRegistryConstructor;
    };
    return {
      collectGarbage: fresh.gc,
      createRegistry: (cleanup) => new fresh.FinalizationRegistry(cleanup),
    };
  } catch {
    return null;
  }
}

export type AdapterChoice = 'auto' | 'vulkan' | 'opengl';

export interface NodeWebGPUOptions {
  adapter?: AdapterChoice;
}

interface DawnModule {
  create(flags: string[]): GPU;
  globals: Record<string, unknown>;
}

async function loadDawn(): Promise<DawnModule> {
  try {
    return (await import('webgpu')) as unknown as DawnModule;
  } catch (error) {
    throw new Error(
      `WebGPU in Node needs the 'webgpu' package (Dawn): npm install webgpu. (${(error as Error).message})`,
    );
  }
}

/**
 * Dawn instances in use. The instance processes the device's events (map callbacks among them): if it were
 * garbage collected while its device lives, pending reads would never resolve.
 */
const liveInstances = new Set<GPU>();

/** A device from the `backend` adapter, with what ./webgpu-backend.ts needs to know of it; null if none. */
async function tryAdapter(dawn: DawnModule, backend: 'vulkan' | 'opengl'): Promise<WebGPUBackendOptions | null> {
  if (backend === 'opengl') process.env.EGL_PLATFORM ??= 'surfaceless';
  const gpu = dawn.create([`backend=${backend === 'opengl' ? 'opengles' : 'vulkan'}`]);
  const adapter = await gpu.requestAdapter(backend === 'opengl' ? ({ featureLevel: 'compatibility' } as GPURequestAdapterOptions) : {});
  if (!adapter) return null;
  liveInstances.add(gpu);
  // Subgroups where the adapter has them (Dawn on lavapipe does): ./subgroups.ts decides whether they are used.
  const device = await requestDevice(adapter);
  const info = adapter.info;
  const name = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ');
  const description = `${backend === 'opengl' ? 'OpenGL ES (compatibility)' : 'Vulkan'}: ${name || 'unknown adapter'}`;
  return { device, description, wgslLanguageFeatures: gpu.wgslLanguageFeatures };
}

/** Creates a WebGPU backend on this machine's GPU (or a CPU Vulkan driver such as lavapipe). */
export async function createNodeWebGPUBackend(options: NodeWebGPUOptions = {}): Promise<WebGPUBackend> {
  const requested = (options.adapter ?? process.env.DESCENT_WEBGPU_ADAPTER ?? 'auto') as AdapterChoice;
  if (!['auto', 'vulkan', 'opengl'].includes(requested)) {
    throw new Error(`Unknown WebGPU adapter '${requested}': use 'vulkan', 'opengl' or 'auto' (DESCENT_WEBGPU_ADAPTER).`);
  }
  const dawn = await loadDawn();
  Object.assign(globalThis, dawn.globals);
  const order: ('vulkan' | 'opengl')[] = requested === 'auto' ? ['vulkan', 'opengl'] : [requested];
  for (const kind of order) {
    const found = await tryAdapter(dawn, kind);
    if (found) {
      const backend = createWebGPUBackend({ ...found, gc: nodeGc() ?? undefined });
      process.once('beforeExit', () => backend.destroy());
      return backend;
    }
  }
  throw new Error(
    `No WebGPU adapter found (tried ${order.join(', ')}). On Linux without a GPU, install Mesa's lavapipe ` +
      '(mesa-vulkan-drivers from bookworm-backports: tooling/scripts/install-lavapipe.sh); with a GPU, install its Vulkan driver.',
  );
}

export { createWebGPUBackend, type WebGPUBackend };
