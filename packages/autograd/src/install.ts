import { installBackwardEngine } from '@descent/tensor';
import { backward } from './backward.js';

// `tensor.backward()` lives on the Tensor class in @descent/tensor; this hands it our engine.
installBackwardEngine({
  backward: (root, gradient, retainGraph) => backward(root, gradient, { retainGraph }),
});
