/**
 * Sorted copy of a Float64Array by LSD radix sort on the IEEE-754 bit patterns (4 passes of 16
 * bits), several times faster than TypedArray#sort on large inputs. Same order as numeric sort
 * for all non-NaN values (−0 before +0, ±inf at the ends); callers pass cleaned data.
 */
export function sortedFloat64(x: Float64Array): Float64Array {
  const n = x.length;
  if (n < 4096) return Float64Array.from(x).sort();
  let a = new Float64Array(x);
  let b = new Float64Array(n);
  let ua = new Uint32Array(a.buffer), ub = new Uint32Array(b.buffer);
  // order-preserving keys: negative → flip all bits; positive → flip the sign bit
  for (let i = 0; i < n; i++) {
    const hi = ua[2 * i + 1];
    if (hi & 0x80000000) { ua[2 * i] = ~ua[2 * i]; ua[2 * i + 1] = ~hi; } else ua[2 * i + 1] = hi | 0x80000000;
  }
  const counts = new Uint32Array(4 * 65536);
  for (let i = 0; i < n; i++) {
    const lo = ua[2 * i], hi = ua[2 * i + 1];
    counts[lo & 0xffff]++;
    counts[65536 + (lo >>> 16)]++;
    counts[131072 + (hi & 0xffff)]++;
    counts[196608 + (hi >>> 16)]++;
  }
  for (let pass = 0; pass < 4; pass++) {
    const off = pass * 65536;
    // skip a pass whose digit is the same everywhere
    let single = false;
    for (let d = 0; d < 65536; d++) { const c = counts[off + d]; if (c) { single = c === n; break; } }
    if (single) continue;
    let sum = 0;
    for (let d = 0; d < 65536; d++) { const c = counts[off + d]; counts[off + d] = sum; sum += c; }
    const word = pass < 2 ? 0 : 1, shift = pass % 2 ? 16 : 0;
    for (let i = 0; i < n; i++) {
      const digit = (ua[2 * i + word] >>> shift) & 0xffff;
      const j = counts[off + digit]++;
      ub[2 * j] = ua[2 * i];
      ub[2 * j + 1] = ua[2 * i + 1];
    }
    [a, b] = [b, a];
    [ua, ub] = [ub, ua];
  }
  for (let i = 0; i < n; i++) {
    const hi = ua[2 * i + 1];
    if (hi & 0x80000000) ua[2 * i + 1] = hi & 0x7fffffff; else { ua[2 * i] = ~ua[2 * i]; ua[2 * i + 1] = ~hi; }
  }
  return a;
}
