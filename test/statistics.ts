import { inverseNormalCdf } from "../sim/distributions.js";

/*
 * Tolerances of the statistical tests. Each test draws from fixed seeds, so it is deterministic;
 * the false-alarm rate is the share of seeds for which a correct generator would fail it.
 */

/** P(|Z| > 4) for a standard normal Z: about 1 in 15,800. */
export const FAMILY_ALPHA = 6.334e-5;

/** The z with P(|Z| > z) = alpha for a standard normal Z. */
export function twoSidedZ(alpha: number): number {
  return -inverseNormalCdf(alpha / 2);
}

/**
 * The z each of `checks` checks uses so that the test as a whole fails a correct generator with
 * probability at most FAMILY_ALPHA (Bonferroni): 4 for one check, 4.70 for 24.
 */
export function bonferroniZ(checks: number): number {
  return twoSidedZ(FAMILY_ALPHA / checks);
}

/**
 * The two-sided Kolmogorov-Smirnov statistic of samples in [0, 1) against the uniform law:
 * the largest distance between their empirical CDF and the identity.
 */
export function ksUniform(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  let distance = 0;
  sorted.forEach((u, i) => {
    distance = Math.max(distance, (i + 1) / n - u, u - i / n);
  });
  return distance;
}

/**
 * The Kolmogorov distribution's critical value for false-alarm rate alpha, for large n:
 * P(sqrt(n) D > c) is about 2 exp(-2 c^2) (the first term of the series, exact to far below
 * alpha at these rates), so c = sqrt(-ln(alpha / 2) / 2).
 */
export function ksCritical(n: number, alpha: number): number {
  return Math.sqrt(-Math.log(alpha / 2) / 2) / Math.sqrt(n);
}

/** Mean and standard error of per-batch estimates (independent batches), and their count. */
export function batchMean(estimates: readonly number[]): { mean: number; standardError: number } {
  const n = estimates.length;
  const mean = estimates.reduce((a, b) => a + b, 0) / n;
  const variance = estimates.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  return { mean, standardError: Math.sqrt(variance / n) };
}
