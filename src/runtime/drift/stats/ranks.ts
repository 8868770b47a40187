/** Walks the distinct values of two ascending-sorted samples in pooled order (the basis of midranks). */
export function forEachTieGroup(a: Float64Array, b: Float64Array,
  cb: (value: number, countA: number, countB: number, belowA: number, belowB: number) => void): void {
  const n1 = a.length, n2 = b.length;
  let i = 0, j = 0;
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && a[i] <= b[j]) ? a[i] : b[j];
    const i0 = i, j0 = j;
    while (i < n1 && a[i] === v) i++;
    while (j < n2 && b[j] === v) j++;
    cb(v, i - i0, j - j0, i0, j0);
  }
}
