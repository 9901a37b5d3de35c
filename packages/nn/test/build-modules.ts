// The modules tooling/fixtures/gen_nn_extra.py prints, built the same way with @descent/nn.
import type { Tensor } from '@descent/tensor';
import * as nn from '../src/index.js';

/** The custom module the generator defines in Python: fields are discovered without registration. */
export class Net extends nn.Module {
  fc1 = new nn.Linear(2, 3);
  act = new nn.Tanh();
  bn = new nn.BatchNorm1d(3);
  head = new nn.Sequential(new nn.Linear(3, 1), new nn.Sigmoid());

  override forward(x: Tensor): Tensor {
    return this.head(this.bn(this.act(this.fc1(x))));
  }
}

export const BUILD: Record<string, () => nn.Module> = {
  linear: () => new nn.Linear(3, 2),
  linear_nobias: () => new nn.Linear(3, 2, { bias: false }),
  relu: () => new nn.ReLU(),
  relu_inplace: () => new nn.ReLU(true),
  leaky_relu: () => new nn.LeakyReLU(),
  leaky_relu_02: () => new nn.LeakyReLU(0.2),
  leaky_relu_inplace: () => new nn.LeakyReLU(0.1, true),
  sigmoid: () => new nn.Sigmoid(),
  tanh: () => new nn.Tanh(),
  gelu: () => new nn.GELU(),
  gelu_tanh: () => new nn.GELU('tanh'),
  silu: () => new nn.SiLU(),
  softmax_1: () => new nn.Softmax(1),
  softmax_none: () => new nn.Softmax(),
  log_softmax: () => new nn.LogSoftmax(-1),
  identity: () => new nn.Identity(),
  flatten: () => new nn.Flatten(),
  flatten_0_2: () => new nn.Flatten(0, 2),
  dropout: () => new nn.Dropout(),
  dropout_02: () => new nn.Dropout(0.2),
  embedding: () => new nn.Embedding(10, 3),
  embedding_pad: () => new nn.Embedding(10, 3, { paddingIdx: 0 }),
  embedding_neg_pad: () => new nn.Embedding(10, 3, { paddingIdx: -1 }),
  layer_norm: () => new nn.LayerNorm(4),
  layer_norm_2d: () => new nn.LayerNorm([2, 3], { eps: 1e-6, elementwiseAffine: false }),
  batch_norm: () => new nn.BatchNorm1d(4),
  batch_norm_custom: () => new nn.BatchNorm1d(4, { eps: 1e-3, momentum: null, affine: false, trackRunningStats: false }),
  mse_loss: () => new nn.MSELoss(),
  l1_loss: () => new nn.L1Loss({ reduction: 'sum' }),
  smooth_l1_loss: () => new nn.SmoothL1Loss({ beta: 0.5 }),
  huber_loss: () => new nn.HuberLoss(),
  cross_entropy_loss: () => new nn.CrossEntropyLoss(),
  nll_loss: () => new nn.NLLLoss(),
  bce_loss: () => new nn.BCELoss(),
  bce_with_logits_loss: () => new nn.BCEWithLogitsLoss(),
  sequential: () => new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 3)),
  nested: () => new nn.Sequential(new nn.Sequential(new nn.Linear(2, 2), new nn.ReLU()), new nn.Dropout(0.1)),
  sequential_named: () => new nn.Sequential(new Map<string, nn.Module>([['fc', new nn.Linear(2, 3)], ['act', new nn.GELU()]])),
  sequential_empty: () => new nn.Sequential(),
  module_list: () => new nn.ModuleList([new nn.Linear(2, 2), new nn.ReLU()]),
  module_dict: () => new nn.ModuleDict(new Map<string, nn.Module>([['b', new nn.Linear(1, 1)], ['a', new nn.Tanh()]])),
  net: () => new Net(),
};
