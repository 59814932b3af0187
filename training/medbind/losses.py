"""MEDBind losses (Gao et al., arXiv 2403.12894, Sec. 2), exactly as src/model/losses.ts writes them:
TMCL with identical-text positives, EMCL with the n/m factor; every sum over anchors averaged."""
import math

import torch


def positive_weights(text_ids):
    """w[i][p] = 1/|P(i)| where text_ids[i] == text_ids[p] (P(i): i's own pair and identical texts), [n, n]."""
    ids = torch.as_tensor(text_ids)
    same = (ids[:, None] == ids[None, :]).float()
    return same / same.sum(1, keepdim=True)


def tmcl_directional(a, b, pos_w, tau):
    """Eq. (1): -(1/n) sum_i 1/|P(i)| sum_{p in P(i)} log softmax_l(a_i . b_l / tau)[p]."""
    log_prob = torch.log_softmax((a @ b.T) / tau, dim=1)
    return -(pos_w * log_prob).sum() / a.shape[0]


def tmcl(t, z, text_ids, tau):
    """Symmetric TMCL of one modality: L^{t->z} + L^{z->t}."""
    w = positive_weights(text_ids)
    return tmcl_directional(t, z, w, tau) + tmcl_directional(z, t, w, tau)


def emcl(zc, ze, n, tau):
    """Eq. (2), symmetric, over the m paired rows; n = batch size; adds the constant 2 log(n/m)."""
    m = zc.shape[0]
    if m != ze.shape[0]:
        raise ValueError(f"emcl: {m} CXR rows vs {ze.shape[0]} ECG rows")
    if m == 0:
        return zc.new_zeros(())
    logits = (zc @ ze.T) / tau
    c2e = -torch.diagonal(torch.log_softmax(logits, 1)).sum() / m
    e2c = -torch.diagonal(torch.log_softmax(logits.T, 1)).sum() / m
    return c2e + e2c + 2 * math.log(n / m)


def text_ids_of(texts):
    """Equal integer ids for identical keys (first occurrence order), as textIdsOf does."""
    seen = {}
    return [seen.setdefault(t, len(seen)) for t in texts]


def loss_from_embeddings(c, t_cxr, z_cxr, cxr_text_keys, t_ecg, z_ecg, ecg_text_keys, paired):
    """TMCL(cxr) + TMCL(ecg) (+ EMCL on the first `paired` rows for variant BD) -> (total, tc, te, em)."""
    tau = c["tau"]
    zero = (z_cxr if z_cxr is not None else z_ecg).new_zeros(())
    tc = tmcl(t_cxr, z_cxr, text_ids_of(cxr_text_keys), tau) if z_cxr is not None and len(cxr_text_keys) else zero
    te = tmcl(t_ecg, z_ecg, text_ids_of(ecg_text_keys), tau) if z_ecg is not None and len(ecg_text_keys) else zero
    em = zero
    if c["train"]["variant"] == "BD" and paired > 0 and z_cxr is not None and z_ecg is not None:
        n = max(z_cxr.shape[0], z_ecg.shape[0])
        em = emcl(z_cxr[:paired], z_ecg[:paired], n, tau)
    return tc + te + em, tc, te, em
