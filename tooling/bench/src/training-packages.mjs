/**
 * Finds Linear, SGD, TensorDataset, DataLoader and the MSE loss at run time, so W5 can report
 * "n/a (package missing)" instead of failing while @descent/nn, @descent/optim and @descent/data are unbuilt.
 * Looks in the umbrella's namespaces first (torch.nn, torch.optim, torch.utils.data), then the packages by name,
 * then the packages' built output in this workspace (the bench does not list them as dependencies yet).
 */
const PACKAGES = { nn: '@descent/nn', optim: '@descent/optim', data: '@descent/data' };

/** Where each package was found, reported in results/latest.json. */
const sources = {};

async function importFirst(key, specifiers) {
  for (const specifier of specifiers) {
    try {
      const module = await import(specifier);
      sources[key] = specifier.startsWith('file:') ? `packages/${key}/dist (workspace)` : specifier;
      return module;
    } catch {
      // Not installed or not built: try the next place.
    }
  }
  return null;
}

async function loadPackage(key, fromUmbrella) {
  if (fromUmbrella) {
    sources[key] = `descent (torch.${key === 'data' ? 'utils.data' : key})`;
    return fromUmbrella;
  }
  const built = new URL(`../../../packages/${key}/dist/index.js`, import.meta.url).href;
  return importFirst(key, [PACKAGES[key], built]);
}

function pickLoss(nn) {
  const functional = nn.functional ?? nn.F;
  const loss = functional?.mseLoss ?? nn.mseLoss;
  if (typeof loss === 'function') return loss;
  if (typeof nn.MSELoss === 'function') {
    const module = new nn.MSELoss();
    return (input, target) => module.forward(input, target);
  }
  return null;
}

/** Returns the classes W5 needs, or `{ missing }` naming what could not be found. */
export async function loadTrainingPackages(torch) {
  const nn = await loadPackage('nn', torch.nn);
  const optim = await loadPackage('optim', torch.optim);
  const data = await loadPackage('data', torch.utils?.data);
  const found = {
    Linear: nn?.Linear,
    mseLoss: nn ? pickLoss(nn) : null,
    SGD: optim?.SGD,
    TensorDataset: data?.TensorDataset,
    DataLoader: data?.DataLoader,
  };
  const missing = Object.entries(found)
    .filter(([, value]) => typeof value !== 'function')
    .map(([name]) => name);
  return missing.length > 0 ? { missing, sources } : { ...found, sources };
}
