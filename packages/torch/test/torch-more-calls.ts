import * as torch from '@descent/torch';

type T = torch.Tensor;
type Out = T | Iterable<T> | boolean | number;
const t = (data: number[], dtype: torch.DType = 'float32'): T => torch.tensor(data, { dtype });
const GAMMA_X = t([0.3, 1.5, 7.25, -2.5, -0.7, 30.0, 1e-3, 2.0, 1.0, 11.5, -5.25]);
const INTS = torch.tensor([1, 2, 5, 10]);

/** Each case of fixtures/torch_more_cases.py as a user writes it in TypeScript: the same call, on the same inputs. */
export const TORCH_MORE_CALLS: Record<string, (...xs: T[]) => Out> = {
  as_tensor_list: () => torch.asTensor([[1.0, 2.5], [3.0, -4.0]]),
  as_tensor_list_int: () => torch.asTensor([1, 2, 3]),
  as_tensor_list_dtype: () => torch.asTensor([1, 2, 3], { dtype: 'float64' }),
  as_tensor_same_dtype: (x) => torch.asTensor(x, { dtype: 'float32' }) === x,
  as_tensor_same: (x) => torch.asTensor(x) === x,
  as_tensor_cast: (x) => torch.asTensor(x, { dtype: 'float64' }),
  as_tensor_int_cast: (x) => torch.asTensor(x, { dtype: 'float32' }),
  lgamma: (x) => torch.lgamma(x),
  lgamma_edges: (x) => torch.lgamma(x),
  lgamma_float64: (x) => x.lgamma(),
  lgamma_int: (x) => torch.lgamma(x),
  lgamma_inplace: (x) => x.clone().lgamma_(),
  special_gammaln: (x) => torch.special.gammaln(x),
  digamma: (x) => torch.digamma(x),
  digamma_edges: (x) => torch.digamma(x),
  digamma_float64: (x) => x.digamma(),
  special_psi: (x) => torch.special.psi(x),
  special_digamma_int: (x) => torch.special.digamma(x),
  polygamma_0: (x) => torch.polygamma(0, x),
  polygamma_1: (x) => torch.polygamma(1, x),
  polygamma_2: (x) => x.polygamma(2),
  polygamma_3_float64: (x) => torch.special.polygamma(3, x),
  polygamma_inplace: (x) => x.clone().polygamma_(1),
  mvlgamma: (x) => torch.mvlgamma(x, 3),
  multigammaln: (x) => torch.special.multigammaln(x, 2),
  erfinv: (x) => torch.erfinv(x),
  erfinv_edges: (x) => torch.erfinv(x),
  erfinv_float64: (x) => x.erfinv(),
  erfinv_int: (x) => torch.special.erfinv(x),
  erfinv_inplace: (x) => x.clone().erfinv_(),
  ndtri: (x) => torch.special.ndtri(x),
  ndtri_edges: (x) => torch.special.ndtri(x),
  ndtr: (x) => torch.special.ndtr(x),
  logit: (x) => torch.logit(x),
  logit_eps: (x) => torch.logit(x, 0.1),
  logit_eps_method: (x) => x.logit(1e-3),
  logit_edges: (x) => torch.special.logit(x),
  logit_inplace: (x) => x.clone().logit_(0.25),
  expit: (x) => torch.special.expit(x),
  entr: (x) => torch.special.entr(x),
  xlog1py: (x, y) => torch.special.xlog1py(x, y),
  xlog1py_zero: (x, y) => torch.special.xlog1py(x, y),
  special_xlogy: (x, y) => torch.special.xlogy(x, y),
  special_exp2: (x) => torch.special.exp2(x),
};

export const TORCH_MORE_ERROR_CALLS: Record<string, () => unknown> = {
  // @ts-expect-error -- as PyTorch, dtype is keyword-only
  as_tensor_positional_dtype: () => torch.asTensor([1.0], 'float64'),
  polygamma_negative: () => torch.polygamma(-1, GAMMA_X),
  polygamma_float_n: () => torch.polygamma(1.5, GAMMA_X),
  lgamma_int_inplace: () => INTS.clone().lgamma_(),
  mvlgamma_p: () => torch.mvlgamma(GAMMA_X.abs().add(2), 0),
};
