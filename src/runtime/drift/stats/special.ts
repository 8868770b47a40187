/**
 * Special functions and numpy-compatible reductions shared by the drift statistics.
 * Pure functions over numbers and Float64Array; accuracy is checked against scipy/numpy values
 * in test/runtime/drift (reference_tables.json of the drift reference).
 */

const LOG_SQRT_2PI = 0.9189385332046728;
const SQRT1_2 = Math.SQRT1_2;
const EPS = 2.220446049250313e-16;

/**
 * numpy's pairwise summation (`np.add.reduce` on a contiguous float64 array), reproduced
 * bit for bit: blocks of at most 128 values summed with 8 accumulators, halves split at
 * a multiple of 8.
 */
export function pairwiseSum(a: ArrayLike<number>, start = 0, n = a.length - start): number {
  if (n < 8) {
    let res = -0;
    for (let i = 0; i < n; i++) res += a[start + i];
    return n === 0 ? 0 : res;
  }
  if (n <= 128) {
    let r0 = a[start], r1 = a[start + 1], r2 = a[start + 2], r3 = a[start + 3];
    let r4 = a[start + 4], r5 = a[start + 5], r6 = a[start + 6], r7 = a[start + 7];
    const end = n - (n % 8);
    let i = 8;
    for (; i < end; i += 8) {
      const b = start + i;
      r0 += a[b]; r1 += a[b + 1]; r2 += a[b + 2]; r3 += a[b + 3];
      r4 += a[b + 4]; r5 += a[b + 5]; r6 += a[b + 6]; r7 += a[b + 7];
    }
    let res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (; i < n; i++) res += a[start + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}

/** Sum of f(a[i]) with numpy's pairwise order, without allocating the mapped array. */
export function pairwiseSumMapped(n: number, f: (i: number) => number, start = 0): number {
  if (n < 8) {
    let res = -0;
    for (let i = 0; i < n; i++) res += f(start + i);
    return n === 0 ? 0 : res;
  }
  if (n <= 128) {
    let r0 = f(start), r1 = f(start + 1), r2 = f(start + 2), r3 = f(start + 3);
    let r4 = f(start + 4), r5 = f(start + 5), r6 = f(start + 6), r7 = f(start + 7);
    const end = n - (n % 8);
    let i = 8;
    for (; i < end; i += 8) {
      const b = start + i;
      r0 += f(b); r1 += f(b + 1); r2 += f(b + 2); r3 += f(b + 3);
      r4 += f(b + 4); r5 += f(b + 5); r6 += f(b + 6); r7 += f(b + 7);
    }
    let res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (; i < n; i++) res += f(start + i);
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSumMapped(n2, f, start) + pairwiseSumMapped(n - n2, f, start + n2);
}

/** numpy round (half to even). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  if (Math.abs(x % 1) === 0.5) return 2 * Math.round(x / 2);
  return r;
}

export function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

// Lanczos approximation (g = 607/128, 15 terms), relative error ~1e-15 for x > 0.
const LANCZOS_G = 607 / 128;
const LANCZOS = [
  0.9999999999999971, 57.15623566586292, -59.59796035547549, 14.136097974741746,
  -0.4919138160976202, 0.00003399464998481189, 0.00004652362892704858, -0.00009837447530487956,
  0.0001580887032249125, -0.00021026444172410488, 0.00021743961811521265, -0.0001643181065367639,
  0.00008441822398385275, -0.000026190838401581408, 0.0000036899182659531625,
];

/** log|Γ(x)|. */
export function lgamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x <= 0 && Number.isInteger(x)) return Infinity;
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  if (x === 1 || x === 2) return 0;
  const xm = x - 1;
  let a = LANCZOS[0];
  const t = xm + LANCZOS_G + 0.5;
  for (let i = 1; i < 15; i++) a += LANCZOS[i] / (xm + i);
  return LOG_SQRT_2PI + (xm + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Binomial coefficient as a double (Infinity on overflow), like scipy.special.binom for integers. */
export function binom(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  k = Math.min(k, n - k);
  if (k === 0) return 1;
  if (k < 30) {
    let r = 1;
    for (let j = 1; j <= k; j++) r = (r * (n - k + j)) / j;
    return r < 2 ** 53 ? Math.round(r) : r;
  }
  const l = lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1);
  return l > 709.782712893384 ? Infinity : Math.exp(l);
}

/** erf(x) for |x| < 3 by the non-alternating series erf x = 2x/√π e^{-x²} Σ (2x²)^n / (2n+1)!!. */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = 1, sum = 1;
  for (let n = 1; n < 500; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return (2 / Math.sqrt(Math.PI)) * x * Math.exp(-x2) * sum;
}

/** erfc(x) for x >= 2 by its continued fraction (modified Lentz). */
function erfcContinuedFraction(x: number): number {
  // erfc x = e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))
  const tiny = 1e-300;
  let f = x, c = x, d = 0;
  for (let k = 1; k < 5000; k++) {
    const a = k / 2;
    d = x + a * d;
    d = d === 0 ? tiny : d;
    c = x + a / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 2.5) return erfSeries(x);
  const r = 1 - erfcContinuedFraction(ax);
  return x < 0 ? -r : r;
}

export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 0.5) return 1 - erfSeries(x);
  if (x < 2) return 1 - erfSeries(x);
  if (x > 27.3) return 0;
  return erfcContinuedFraction(x);
}

/** Standard normal CDF Φ(a) (scipy.special.ndtr, cephes' erf/erfc split). */
export function ndtr(a: number): number {
  if (Number.isNaN(a)) return NaN;
  const x = a * SQRT1_2;
  const z = Math.abs(x);
  if (z < SQRT1_2) return 0.5 + 0.5 * erf(x);
  const y = 0.5 * erfc(z);
  return x > 0 ? 1 - y : y;
}

/** Regularised lower incomplete gamma P(a, x) by its series (x < a + 1). */
function igamSeries(a: number, x: number): number {
  const ax = a * Math.log(x) - x - lgamma(a);
  if (ax < -745) return 0;
  let r = a, c = 1, ans = 1;
  for (let i = 0; i < 100000; i++) {
    r += 1;
    c *= x / r;
    ans += c;
    if (c <= ans * EPS) break;
  }
  return (ans * Math.exp(ax)) / a;
}

/** Regularised upper incomplete gamma Q(a, x) by its continued fraction (x >= a + 1). */
function igamcFraction(a: number, x: number): number {
  const ax = a * Math.log(x) - x - lgamma(a);
  if (ax < -745) return 0;
  const tiny = 1e-300;
  let b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
  for (let i = 1; i < 100000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return Math.exp(ax) * h;
}

/** Q(a, x) = Γ(a, x)/Γ(a). */
export function gammaincc(a: number, x: number): number {
  if (Number.isNaN(a) || Number.isNaN(x)) return NaN;
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  if (x < a + 1) return 1 - igamSeries(a, x);
  return igamcFraction(a, x);
}

/** scipy.stats.chi2.sf(x, df). */
export function chi2Sf(x: number, df: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 0;
  if (df <= 0) return x > 0 ? 0 : 1;
  return gammaincc(df / 2, x / 2);
}

/**
 * Modified Bessel function of the second kind K_ν(x) for x > 0, from
 * K_ν(x) = ∫₀^∞ exp(−x cosh t) cosh(νt) dt with the trapezoid rule, which converges
 * geometrically for this analytic, doubly exponentially decaying integrand.
 */
export function besselK(nu: number, x: number): number {
  if (!(x > 0)) return x === 0 ? Infinity : NaN;
  if (x > 700) return 0;
  const h = 0.02;
  // Neumaier-compensated sum: the CvM p-value is 1 − cdf, so the cdf needs ~1e-17 absolute accuracy.
  let sum = 0.5 * Math.exp(-x), comp = 0;
  for (let k = 1; k < 100000; k++) {
    const t = k * h;
    const term = Math.exp(-x * Math.cosh(t)) * Math.cosh(nu * t);
    const s2 = sum + term;
    comp += sum >= term ? sum - s2 + term : term - s2 + sum;
    sum = s2;
    if (term < sum * 1e-18) break;
  }
  sum += comp;
  return sum * h;
}
