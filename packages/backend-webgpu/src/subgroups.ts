/**
 * Whether the reductions may combine within subgroups (./kernels/subgroup-reduce.ts). They need two things: the
 * device feature 'subgroups' (WGSL `enable subgroups;`), requested wherever the adapter has it, and the WGSL
 * language feature 'subgroup_id' (`@builtin(subgroup_id)` and `num_subgroups`), which gives each subgroup its own
 * slot in workgroup memory: WGSL promises no relation between `local_invocation_index` and subgroups, so without
 * it a subgroup could not know which slot is its own. Where either is missing, the reductions run the
 * shared-memory kernels, as they do when `DESCENT_WEBGPU_SUBGROUPS=0` or the backend option `subgroups: false`.
 */

/** The optional features to request with a device from `adapter`: 'subgroups' where the adapter has it. */
export function optionalFeatures(adapter: GPUAdapter): GPUFeatureName[] {
  return adapter.features.has('subgroups') ? ['subgroups' as GPUFeatureName] : [];
}

/**
 * Whether `device` can run the subgroup kernels. `wgslLanguageFeatures` are those of the `GPU` object that made it
 * (`navigator.gpu.wgslLanguageFeatures`, or Dawn's); without them, those of the page's `navigator.gpu`, if any.
 */
export function subgroupsSupported(device: GPUDevice, wgslLanguageFeatures?: ReadonlySet<string>): boolean {
  const language = wgslLanguageFeatures ?? (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu?.wgslLanguageFeatures;
  return device.features.has('subgroups') && language?.has('subgroup_id') === true;
}

/** The default of the backend option `subgroups`: on unless the environment has DESCENT_WEBGPU_SUBGROUPS=0. */
export function subgroupsFromEnvironment(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.DESCENT_WEBGPU_SUBGROUPS !== '0';
}

/** The error for turning subgroups on where the device cannot run them. */
export function subgroupsUnsupported(): Error {
  return new Error(
    "webgpu: subgroup reductions need the device feature 'subgroups' and the WGSL language feature 'subgroup_id'; " +
      'this device lacks one of them, so the reductions keep their shared-memory kernels',
  );
}
