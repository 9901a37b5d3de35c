// `bindArgs` lives in @descent/tensor, where @descent/optim reaches it too.
export { bindArgs, type ArgSpec } from '@descent/tensor';
