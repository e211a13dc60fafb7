/**
 * Exact tests on paired binary outcomes. Two policies run on the same keys; only the discordant
 * keys carry information: `b` where the first succeeded and the second failed, `c` the other way.
 * Under the null hypothesis (equal success rates) each discordant key is a fair coin.
 */

/** P(X >= k) for X ~ Binomial(n, 1/2), summed in log space so n in the thousands stays exact. */
export function binomialUpperTail(n: number, k: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  const logHalfN = n * Math.log(0.5);
  let logC = 0; // log C(n, 0)
  let total = 0;
  for (let i = 0; i <= n; i++) {
    if (i > 0) logC += Math.log((n - i + 1) / i);
    if (i >= k) total += Math.exp(logC + logHalfN);
  }
  return Math.min(1, total);
}

/** The exact (binomial) McNemar test, two-sided: is either policy better on the paired keys? */
export function mcnemarExact(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  return Math.min(1, 2 * binomialUpperTail(n, Math.max(b, c)));
}

/**
 * One-sided exact test that the second policy is worse: the chance of `b` or more losses among
 * `b + c` discordant keys if neither policy were better.
 */
export function pairedWorseP(b: number, c: number): number {
  return binomialUpperTail(b + c, b);
}
