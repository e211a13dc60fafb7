/**
 * Holm's step-down adjustment (Holm 1979) of a family of m p-values, for reading many tests at
 * once. Sort them ascending, p_(1) <= ... <= p_(m); the adjusted value of the i-th smallest is
 *
 *   p~_(i) = max over j <= i of min(1, (m - j + 1) p_(j))
 *
 * so the smallest is multiplied by m, the next by m - 1, ..., and the running maximum keeps the
 * adjusted values in the order of the raw ones. Rejecting every test whose adjusted p is below
 * alpha holds the chance of any false rejection in the family to alpha, whatever the dependence
 * between the tests; it never rejects fewer than Bonferroni (p < alpha / m).
 *
 * Returns the adjusted values in the order given. Ties keep their order (the stable sort), and
 * tied raw values get equal adjusted ones through the running maximum.
 */
export function holmAdjust(p: readonly number[]): number[] {
  const m = p.length;
  const order = p.map((_, i) => i).sort((a, b) => p[a] - p[b]);
  const out = new Array<number>(m);
  let running = 0;
  order.forEach((index, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p[index]));
    out[index] = running;
  });
  return out;
}

/**
 * Holm within families: `familyOf` names each test's family, and each family is adjusted on its
 * own. Tests whose family is `undefined` are no test (nothing was paired) and keep their raw p.
 */
export function holmWithin<T>(tests: readonly T[], p: (t: T) => number, familyOf: (t: T) => string | undefined): number[] {
  const families = new Map<string, number[]>();
  tests.forEach((t, i) => {
    const family = familyOf(t);
    if (family === undefined) return;
    const members = families.get(family) ?? [];
    members.push(i);
    families.set(family, members);
  });
  const out = tests.map(p);
  for (const members of families.values()) {
    const adjusted = holmAdjust(members.map((i) => out[i]));
    members.forEach((i, k) => (out[i] = adjusted[k]));
  }
  return out;
}
