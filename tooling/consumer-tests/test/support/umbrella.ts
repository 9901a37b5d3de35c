/** The umbrella and what it depends on; npm would fetch these from the registry, so they come from the tarballs. */
export const UMBRELLA = [
  '@descent/torch',
  '@descent/autograd',
  '@descent/backend',
  '@descent/backend-cpu',
  '@descent/backend-webgpu',
  '@descent/data',
  '@descent/nn',
  '@descent/optim',
  '@descent/tensor',
];
