// Eigen-decomposition of a small symmetric matrix (the Ritz matrix of PCA's subspace iteration):
// cyclic Jacobi rotations, exact to round-off and cheap for a few dozen rows.

/**
 * a: symmetric [p, p] row-major (not modified). Returns eigenvalues descending and eigenvectors as
 * rows [p, p] (vectors[c * p + r] is coordinate r of eigenvector c).
 */
export function jacobiEigen(a: Float64Array, p: number, maxSweeps = 60): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(p * p);
  for (let i = 0; i < p; i++) v[i * p + i] = 1;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < p; i++) {
      diag += m[i * p + i] ** 2;
      for (let j = i + 1; j < p; j++) off += m[i * p + j] ** 2;
    }
    if (off <= 1e-30 * Math.max(diag, 1e-300)) break;
    for (let i = 0; i < p; i++) {
      for (let j = i + 1; j < p; j++) {
        const aij = m[i * p + j];
        if (aij === 0) continue;
        const theta = (m[j * p + j] - m[i * p + i]) / (2 * aij);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < p; k++) {
          const mki = m[k * p + i];
          const mkj = m[k * p + j];
          m[k * p + i] = c * mki - s * mkj;
          m[k * p + j] = s * mki + c * mkj;
        }
        for (let k = 0; k < p; k++) {
          const mik = m[i * p + k];
          const mjk = m[j * p + k];
          m[i * p + k] = c * mik - s * mjk;
          m[j * p + k] = s * mik + c * mjk;
        }
        for (let k = 0; k < p; k++) {
          const vki = v[k * p + i];
          const vkj = v[k * p + j];
          v[k * p + i] = c * vki - s * vkj;
          v[k * p + j] = s * vki + c * vkj;
        }
      }
    }
  }
  const order = Array.from({ length: p }, (_, i) => i).sort((x, y) => m[y * p + y] - m[x * p + x]);
  const values = new Float64Array(p);
  const vectors = new Float64Array(p * p);
  order.forEach((col, c) => {
    values[c] = m[col * p + col];
    for (let r = 0; r < p; r++) vectors[c * p + r] = v[r * p + col];
  });
  return { values, vectors };
}
