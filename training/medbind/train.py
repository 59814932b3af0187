"""One MEDBind training step over the named parameters (as src/model/train.ts): encode this rank's rows of
the global batch, gather embeddings from every rank with gradients, TMCL(cxr) + TMCL(ecg) (+ EMCL for BD)
over the global batch, sum the ranks' gradients, AdamW update with the warmup + cosine schedule."""
import torch

from . import dist as mdist
from .data import augment_cxr, augment_cxr_affine, augment_ecg, augment_ecg_records
from .losses import loss_from_embeddings
from .model import cxr_forward, ecg_forward, pad_token_ids, text_forward
from .optim import lr_at


def _token_ids(data, text_idx, c, device):
    return pad_token_ids([data.texts[i]["ids"] for i in text_idx], c["text"]["lengthBucket"], c["text"]["maxTokens"]).to(device)


def batch_inputs(data, batch, c, seed, step, augment):
    """Global inputs of a batch, augmented with the step's seeded stream (identical on every rank)."""
    cx, ec = data.inputs(batch.cxr), data.inputs(batch.ecg)
    if augment:
        gen = torch.Generator().manual_seed(seed * 1_000_003 + step)
        t = c["train"]
        affine = t.get("cxrMaxRotateDeg", 0) > 0 or t.get("cxrMaxZoom", 0) > 0
        if cx is not None:
            cx = augment_cxr_affine(cx, t, gen) if affine else augment_cxr(cx, t["cxrMaxShiftPx"], t["cxrIntensityJitter"], gen)
        if ec is not None:
            richer = any(t.get(k, 0) for k in ("ecgScaleJitter", "ecgWanderMv", "ecgLeadDropout", "ecgCropProb"))
            ec = augment_ecg_records(ec, t, c["ecg"]["fsHz"], gen) if richer else augment_ecg(ec, t["ecgNoiseStdMv"], gen)
    return cx, ec


def batch_loss(p, c, data, batch, cx, ec, device, gather=True):
    """(total, tmcl_cxr, tmcl_ecg, emcl) over the global batch; this rank encodes its slice when gathering."""
    r, w = (mdist.rank(), mdist.world()) if gather else (0, 1)
    dtype = p["cxr/head/w"].dtype
    g = mdist.gather_with_grad if gather else (lambda x: x)
    nc, ne = len(batch.cxr), len(batch.ecg)
    rows_c, rows_e = mdist.shard(list(range(nc)), r, w), mdist.shard(list(range(ne)), r, w)
    z_c = t_c = z_e = t_e = None
    if nc:
        z_c = g(cxr_forward(p, c, cx[rows_c].to(device=device, dtype=dtype)))
        t_c = g(text_forward(p, c, _token_ids(data, [batch.cxr_text[i] for i in rows_c], c, device)))
    if ne:
        z_e = g(ecg_forward(p, c, ec[rows_e].to(device=device, dtype=dtype)))
        t_e = g(text_forward(p, c, _token_ids(data, [batch.ecg_text[i] for i in rows_e], c, device)))
    return loss_from_embeddings(c, t_c, z_c, batch.cxr_text, t_e, z_e, batch.ecg_text, batch.paired)


def train_step(p, opt, c, data, batch, step, seed, device, augment=True):
    """One update; returns a dict of the loss parts (the same on every rank) and the lr used."""
    cx, ec = batch_inputs(data, batch, c, seed, step, augment)
    for v in p.values():
        v.grad = None
    total, tc, te, em = batch_loss(p, c, data, batch, cx, ec, device)
    total.backward()
    params = list(p.values())
    for v in params:
        if v.grad is None:
            v.grad = torch.zeros_like(v)
    mdist.sum_gradients(params)
    lr = lr_at(step, c["train"])
    opt.apply({k: v.grad for k, v in p.items()}, lr)
    return {"step": step + 1, "lr": lr, "total": float(total), "tmclCxr": float(tc), "tmclEcg": float(te), "emcl": float(em)}


@torch.no_grad()
def eval_loss(p, c, data, batch, device):
    cx, ec = batch_inputs(data, batch, c, 0, 0, False)
    total, _, _, _ = batch_loss(p, c, data, batch, cx, ec, device, gather=False)
    return float(total)
