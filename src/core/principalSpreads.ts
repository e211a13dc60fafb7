/**
 * How far a cloud of 3-D points spreads along each of its principal axes (the eigenvectors of its
 * covariance), least variance first: the points' thickness, then their width, then their length.
 * Exactly coplanar points have a zero-variance axis, the plane's normal, so their first spread is
 * 0 (to rounding); collinear points have two. A convex hull is a solid only if the first is not.
 */
export function principalSpreads(points: readonly (readonly [number, number, number])[]): [number, number, number] {
  const n = points.length;
  if (n === 0) return [0, 0, 0];
  const mean = [0, 0, 0];
  for (const p of points) for (let i = 0; i < 3; i++) mean[i] += p[i] / n;
  const cov = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  for (const p of points) {
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) cov[i][j] += ((p[i] - mean[i]) * (p[j] - mean[j])) / n;
  }
  const { values, vectors } = symmetricEigen3(cov);
  const spreads = vectors.map((axis) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const p of points) {
      const d = p[0] * axis[0] + p[1] * axis[1] + p[2] * axis[2];
      lo = Math.min(lo, d);
      hi = Math.max(hi, d);
    }
    return hi - lo;
  });
  const order = [0, 1, 2].sort((a, b) => values[a] - values[b]);
  return [spreads[order[0]], spreads[order[1]], spreads[order[2]]];
}

/**
 * Eigenvalues and unit eigenvectors of a symmetric 3 x 3 matrix by cyclic Jacobi rotations
 * (Numerical Recipes, section 11.1): each rotation zeroes one off-diagonal element, and a few
 * sweeps bring all three below rounding.
 */
export function symmetricEigen3(matrix: readonly (readonly number[])[]): { values: number[]; vectors: number[][] } {
  const a = matrix.map((row) => [...row]);
  const v = [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ];
  const scale = a[0][0] ** 2 + a[1][1] ** 2 + a[2][2] ** 2 + 2 * (a[0][1] ** 2 + a[0][2] ** 2 + a[1][2] ** 2);
  for (let sweep = 0; sweep < 50; sweep++) {
    const off = a[0][1] ** 2 + a[0][2] ** 2 + a[1][2] ** 2;
    if (off <= 1e-30 * scale) break;
    for (const [p, q] of [
      [0, 1],
      [0, 2],
      [1, 2],
    ]) {
      if (a[p][q] === 0) continue;
      const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
      const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1);
      const s = t * c;
      // a <- Jᵀ a J and v <- v J, J the rotation in the (p, q) plane.
      for (let k = 0; k < 3; k++) [a[k][p], a[k][q]] = [c * a[k][p] - s * a[k][q], s * a[k][p] + c * a[k][q]];
      for (let k = 0; k < 3; k++) [a[p][k], a[q][k]] = [c * a[p][k] - s * a[q][k], s * a[p][k] + c * a[q][k]];
      for (let k = 0; k < 3; k++) [v[k][p], v[k][q]] = [c * v[k][p] - s * v[k][q], s * v[k][p] + c * v[k][q]];
    }
  }
  return { values: [a[0][0], a[1][1], a[2][2]], vectors: [0, 1, 2].map((j) => [v[0][j], v[1][j], v[2][j]]) };
}
