// ATen's quick_select_template (SortingUtils.h), step for step: PyTorch 1.13's CPU kthvalue partitions each row with
// it, so which of equal values it returns, and their index, follow its median-of-three pivots and swaps.

const gtOrNan = (x: number | bigint, y: number | bigint): boolean =>
  (typeof x === 'number' && Number.isNaN(x) && !(typeof y === 'number' && Number.isNaN(y))) || x > y;

/** The index in `data[start, start + n)` of the `k`-th smallest value (0-based; NaN largest), as PyTorch picks it. */
export function quickSelectIndex(data: ArrayLike<number | bigint>, start: number, n: number, k: number): number {
  const arr = Array.from({ length: n }, (_, i) => data[start + i]);
  const idx = Array.from({ length: n }, (_, i) => i);
  const swap = (i: number, j: number): void => {
    [arr[i], arr[j]] = [arr[j], arr[i]];
    [idx[i], idx[j]] = [idx[j], idx[i]];
  };
  let [left, right] = [0, n - 1];
  for (;;) {
    if (right <= left) break;
    if (right === left + 1) {
      if (gtOrNan(arr[left], arr[right])) swap(left, right);
      break;
    }
    swap(left + Math.floor((right - left) / 2), left + 1);
    if (gtOrNan(arr[left + 1], arr[right])) swap(left + 1, right);
    if (gtOrNan(arr[left], arr[right])) swap(left, right);
    if (gtOrNan(arr[left + 1], arr[left])) swap(left + 1, left);
    let [i, j] = [left + 1, right];
    const pivot = arr[left];
    for (;;) {
      do i++;
      while (gtOrNan(pivot, arr[i]));
      do j--;
      while (gtOrNan(arr[j], pivot));
      if (j < i) break;
      swap(i, j);
    }
    swap(left, j);
    if (j <= k) left = i;
    if (j >= k) right = j - 1;
  }
  return idx[k];
}
