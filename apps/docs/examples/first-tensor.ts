// Getting started: a first tensor. Run it with `pnpm --filter @descent/docs exec tsx examples/first-tensor.ts`.
import * as torch from '@descent/torch';

// #region create
const x = torch.tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float32' });
console.log(x);
console.log(x.shape, x.dtype, String(x.device));
// #endregion create

// #region ops
const y = x.mul(2).add(1); // 2 * x + 1
console.log(y.sum(1)); // row sums
console.log(x.matmul(x.t())); // x @ x.T
console.log(x.add(torch.tensor([10, 20, 30]))); // broadcasting
// #endregion ops

// #region grad
const w = torch.tensor([0.5, -1.0, 2.0], { requiresGrad: true });
const loss = x.matmul(w).pow(2).mean();
loss.backward();
console.log(loss);
console.log(w.grad);
// #endregion grad

// #region read
console.log(loss.item(), x.tolist());
// #endregion read
