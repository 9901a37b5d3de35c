/** `torch.utils.data`. */
export * as data from '@descent/data';
