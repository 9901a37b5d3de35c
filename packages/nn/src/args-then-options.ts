// `ArgsThenOptions` lives in @descent/tensor, beside `bindArgs`.
export type { ArgsThenOptions } from '@descent/tensor';
