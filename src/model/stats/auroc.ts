// Area under the ROC curve for a binary outcome, by the rank-sum (Mann-Whitney U) identity, ties counted half.

/**
 * AUROC of `scores` (higher = more likely positive) against `labels` (1 positive, 0 negative), over the
 * items in `indices` (all items when omitted; repeated indices count repeatedly, as a bootstrap needs).
 * NaN when the items hold only one class.
 */
export function auroc(scores: ArrayLike<number>, labels: ArrayLike<number>, indices?: ArrayLike<number>): number {
  if (scores.length !== labels.length) throw new Error('auroc: scores and labels differ in length');
  const n = indices ? indices.length : scores.length;
  const order: number[] = new Array(n);
  for (let i = 0; i < n; i++) order[i] = indices ? indices[i] : i;
  order.sort((a, b) => scores[a] - scores[b]);
  let nPos = 0;
  let rankSumPos = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    const midRank = (i + j) / 2 + 1; // 1-based average rank of the tie block
    for (let k = i; k <= j; k++) {
      if (labels[order[k]] === 1) {
        nPos++;
        rankSumPos += midRank;
      }
    }
    i = j + 1;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}
