// libstdc++'s std::nth_element, std::partial_sort and std::sort, step for step, for the CPU kernels of PyTorch 1.13
// that pick with them, so that equal values come out at PyTorch's indices. topk (aten TopKImpl.h) pairs each value
// with its index and runs partial_sort when k * 64 <= the row's length, else nth_element and, for sorted=True, sort
// of the first k - 1; mode sorts (value, index) pairs by value. Neither algorithm is stable, so ties follow their
// exact steps (introselect / introsort with median-of-three pivots, heap selection, insertion sort).

export type Entry = [value: number | bigint, index: number];
export type Comp = (a: Entry, b: Entry) => boolean;

const isNan = (v: number | bigint): boolean => typeof v === 'number' && Number.isNaN(v);
// NaN counts as the largest value, as PyTorch's comparators put it.
export const larger: Comp = (a, b) => (isNan(a[0]) && !isNan(b[0])) || a[0] > b[0];
export const smaller: Comp = (a, b) => (!isNan(a[0]) && isNan(b[0])) || a[0] < b[0];

/** The indices of the `k` largest (or smallest) of `data[start, start + n)`, in PyTorch's order. */
export function topkRowOrder(data: ArrayLike<number | bigint>, start: number, n: number, k: number, largest: boolean, sorted: boolean): number[] {
  if (k === 0) return [];
  const q: Entry[] = Array.from({ length: n }, (_, index) => [data[start + index], index]);
  const comp = largest ? larger : smaller;
  if (k * 64 <= q.length) {
    partialSort(q, k, q.length, comp);
  } else {
    introselect(q, k - 1, comp);
    if (sorted) introsort(q, 0, k - 1, comp);
  }
  return q.slice(0, k).map((e) => e[1]);
}

const lg = (n: number): number => 31 - Math.clz32(n);

function swap(a: Entry[], i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/** std::nth_element: `a[nth]` is what sorting would put there, the better ones before it. */
function introselect(a: Entry[], nth: number, comp: Comp): void {
  let first = 0;
  let last = a.length;
  let depth = 2 * lg(last);
  while (last - first > 3) {
    if (depth === 0) {
      heapSelect(a, first, nth + 1, last, comp);
      swap(a, first, nth);
      return;
    }
    depth--;
    const cut = partitionPivot(a, first, last, comp);
    if (cut <= nth) first = cut;
    else last = cut;
  }
  insertionSort(a, first, last, comp);
}

/** std::sort of `a[first, last)` (also what PyTorch's CPU mode sorts its rows with). */
export function introsort(a: Entry[], first: number, last: number, comp: Comp): void {
  if (last - first < 2) return;
  introsortLoop(a, first, last, 2 * lg(last - first), comp);
  if (last - first > 16) {
    insertionSort(a, first, first + 16, comp);
    for (let i = first + 16; i < last; i++) linearInsert(a, i, comp);
  } else {
    insertionSort(a, first, last, comp);
  }
}

function introsortLoop(a: Entry[], first: number, last: number, depth: number, comp: Comp): void {
  while (last - first > 16) {
    if (depth === 0) {
      partialSort(a, last - first, last - first, comp, first);
      return;
    }
    depth--;
    const cut = partitionPivot(a, first, last, comp);
    introsortLoop(a, cut, last, depth, comp);
    last = cut;
  }
}

function partitionPivot(a: Entry[], first: number, last: number, comp: Comp): number {
  const mid = first + Math.floor((last - first) / 2);
  moveMedianToFirst(a, first, first + 1, mid, last - 1, comp);
  return unguardedPartition(a, first + 1, last, first, comp);
}

function moveMedianToFirst(a: Entry[], result: number, x: number, y: number, z: number, comp: Comp): void {
  if (comp(a[x], a[y])) {
    if (comp(a[y], a[z])) swap(a, result, y);
    else if (comp(a[x], a[z])) swap(a, result, z);
    else swap(a, result, x);
  } else if (comp(a[x], a[z])) swap(a, result, x);
  else if (comp(a[y], a[z])) swap(a, result, z);
  else swap(a, result, y);
}

function unguardedPartition(a: Entry[], first: number, last: number, pivot: number, comp: Comp): number {
  for (;;) {
    while (comp(a[first], a[pivot])) first++;
    last--;
    while (comp(a[pivot], a[last])) last--;
    if (!(first < last)) return first;
    swap(a, first, last);
    first++;
  }
}

/**
 * std::__insertion_sort of `a[first, last)`: what beats the first goes to the front at once, the rest moves left
 * past what it beats (the two differ where the comparison is no order, as `<` with NaN).
 */
function insertionSort(a: Entry[], first: number, last: number, comp: Comp): void {
  for (let i = first + 1; i < last; i++) {
    const value = a[i];
    if (comp(value, a[first])) {
      a.copyWithin(first + 1, first, i);
      a[first] = value;
    } else {
      linearInsert(a, i, comp);
    }
  }
}

/** std::__unguarded_linear_insert: `a[i]` moves left while it beats its neighbour. */
function linearInsert(a: Entry[], i: number, comp: Comp): void {
  const value = a[i];
  let j = i;
  while (j > 0 && comp(value, a[j - 1])) {
    a[j] = a[j - 1];
    j--;
  }
  a[j] = value;
}

/** std::partial_sort(first, first + k, first + n): a heap of the best k, then sorted out of it. */
function partialSort(a: Entry[], k: number, n: number, comp: Comp, first = 0): void {
  heapSelect(a, first, first + k, first + n, comp);
  for (let last = first + k; last - first > 1; ) {
    last--;
    popHeap(a, first, last, last, comp);
  }
}

function heapSelect(a: Entry[], first: number, middle: number, last: number, comp: Comp): void {
  makeHeap(a, first, middle, comp);
  for (let i = middle; i < last; i++) if (comp(a[i], a[first])) popHeap(a, first, middle, i, comp);
}

function makeHeap(a: Entry[], first: number, last: number, comp: Comp): void {
  const length = last - first;
  if (length < 2) return;
  for (let parent = Math.floor((length - 2) / 2); ; parent--) {
    adjustHeap(a, first, parent, length, a[first + parent], comp);
    if (parent === 0) return;
  }
}

function popHeap(a: Entry[], first: number, last: number, result: number, comp: Comp): void {
  const value = a[result];
  a[result] = a[first];
  adjustHeap(a, first, 0, last - first, value, comp);
}

function adjustHeap(a: Entry[], first: number, hole: number, length: number, value: Entry, comp: Comp): void {
  const top = hole;
  let second = hole;
  while (second < Math.floor((length - 1) / 2)) {
    second = 2 * (second + 1);
    if (comp(a[first + second], a[first + second - 1])) second--;
    a[first + hole] = a[first + second];
    hole = second;
  }
  if ((length & 1) === 0 && second === Math.floor((length - 2) / 2)) {
    second = 2 * (second + 1);
    a[first + hole] = a[first + second - 1];
    hole = second - 1;
  }
  let parent = Math.floor((hole - 1) / 2);
  while (hole > top && comp(a[first + parent], value)) {
    a[first + hole] = a[first + parent];
    hole = parent;
    parent = Math.floor((hole - 1) / 2);
  }
  a[first + hole] = value;
}
