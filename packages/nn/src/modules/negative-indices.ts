/** How far from the end `list[-k]` reaches; `list.at(-k)` has no limit. */
const NEGATIVE_INDICES = 1024;

interface Indexed<T> {
  at(index: number): T;
  set(index: number, value: T): void;
}

/**
 * `list[-1]` as Python indexes a Sequential, ModuleList or ParameterList: accessors on the class's prototype, never
 * own properties, so never children, parameters, state or repr, for -1 .. -NEGATIVE_INDICES. Without them
 * `list[-1]` read undefined, and `list[-1] = x` added an entry named '-1' (a child that forward then ran last).
 */
export function defineNegativeIndices<T>(prototype: Indexed<T>): void {
  for (let k = 1; k <= NEGATIVE_INDICES; k++) {
    Object.defineProperty(prototype, String(-k), {
      get(this: Indexed<T>) {
        return this.at(-k);
      },
      set(this: Indexed<T>, value: T) {
        this.set(-k, value);
      },
    });
  }
}
