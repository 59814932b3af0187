"""Prepared inputs written by `npm run export-prepared` (tools/export-prepared.ts), the batch sampler of
tools/lib/sampler.ts and the training augmentations of src/model/augment.ts. Inputs are memory-mapped
.npy shards, so an archive-sized set is never read whole."""
import json
import os

import numpy as np
import torch

PREPARED_FORMAT = "medbind-prepared"


class Prepared:
    def __init__(self, folder):
        with open(os.path.join(folder, "index.json"), "r", encoding="utf-8") as f:
            self.index = json.load(f)
        if self.index.get("format") != PREPARED_FORMAT:
            raise ValueError(f"{folder}/index.json is not a {PREPARED_FORMAT} index")
        self.folder = folder
        self.config = self.index["config"]
        self.items = self.index["items"]
        self.texts = self.index["texts"]
        self.shards = {m: [np.load(os.path.join(folder, s["file"]), mmap_mode="r") for s in self.index["shards"][m]] for m in ("ecg", "cxr")}
        with open(os.path.join(folder, self.index["vocab"]), "rb") as f:
            self.vocab_bytes = f.read()

    def split(self, name, modality):
        return [i for i, it in enumerate(self.items) if it["split"] == name and it["modality"] == modality]

    def inputs(self, idx):
        """Stacked float32 inputs of items idx (one modality): [n, 12, 1000] or [n, 224, 224]."""
        if not idx:
            return None
        m = self.items[idx[0]]["modality"]
        return torch.from_numpy(np.stack([self.shards[m][self.items[i]["shard"]][self.items[i]["row"]] for i in idx]).astype(np.float32))

    def pairs_within(self, allowed):
        return [(c, e) for c, e in self.index["pairs"] if c in allowed and e in allowed]


class Batch:
    """cxr/ecg: item indices; *_text: index into Prepared.texts of the text drawn for each row; paired rows first."""

    def __init__(self, cxr, ecg, cxr_text, ecg_text, paired):
        self.cxr, self.ecg, self.cxr_text, self.ecg_text, self.paired = cxr, ecg, cxr_text, ecg_text, paired


class BatchSampler:
    """Each step: m distinct pairs first (EMCL), the rest drawn at random without repeats, each row's text
    drawn from its report and the report's phrasings. Seeded by (seed, step): the same on every rank."""

    def __init__(self, data, cxr_pool, ecg_pool, batch_cxr, batch_ecg, paired_per_batch, seed, ecg_weights=None):
        self.data, self.cxr_pool, self.ecg_pool = data, cxr_pool, ecg_pool
        self.batch_cxr, self.batch_ecg, self.seed = batch_cxr, batch_ecg, seed
        self.pairs = data.pairs_within(set(cxr_pool) | set(ecg_pool)) if paired_per_batch > 0 else []
        self.paired_per_batch = paired_per_batch
        self.ecg_weight = dict(zip(ecg_pool, ecg_weights)) if ecg_weights is not None else None

    def batch(self, step):
        rng = np.random.default_rng([self.seed, step])
        m = min(self.paired_per_batch, len(self.pairs), self.batch_cxr, self.batch_ecg)
        chosen = rng.choice(len(self.pairs), size=m, replace=False) if m else []
        cx = [self.pairs[k][0] for k in chosen]
        ec = [self.pairs[k][1] for k in chosen]

        def fill(pool, into, n, weight=None):
            taken = set(into)
            rest = [i for i in pool if i not in taken]
            need = n - len(into)
            if need > 0 and rest:
                prob = None
                if weight is not None:
                    w = np.array([weight[i] for i in rest], dtype=np.float64)
                    prob = w / w.sum()
                into += [rest[k] for k in rng.choice(len(rest), size=min(need, len(rest)), replace=False, p=prob)]
            while len(into) < n and pool:  # a pool smaller than the batch: repeat items
                into.append(pool[int(rng.integers(len(pool)))])

        fill(self.cxr_pool, cx, self.batch_cxr)
        fill(self.ecg_pool, ec, self.batch_ecg, self.ecg_weight)
        text_of = lambda i: self.data.items[i]["texts"][int(rng.integers(len(self.data.items[i]["texts"])))]
        return Batch(cx, ec, [text_of(i) for i in cx], [text_of(i) for i in ec], m)


def sqrt_inverse_frequency(data, idx):
    """Sampling weights 1 / sqrt(count of items with the same dataset and label set), as tools/lib/sampler.ts:
    rare label combinations are drawn more often than their share, without the rarest dominating."""
    key = lambda i: (data.items[i]["dataset"], "+".join(sorted(data.items[i]["labels"])))
    counts = {}
    for i in idx:
        counts[key(i)] = counts.get(key(i), 0) + 1
    return [1 / counts[key(i)] ** 0.5 for i in idx]


def augment_ecg(signals, std_mv, gen):
    """Adds N(0, std_mv^2) noise (the paper's ECG augmentation). signals [n, leads, samples]."""
    if std_mv <= 0:
        return signals
    return signals + std_mv * torch.randn(signals.shape, generator=gen)


def augment_ecg_records(signals, t, fs_hz, gen):
    """The label-preserving ECG transforms of src/model/augment.ts augmentEcgRecords, per record: one amplitude
    factor for all leads, a 0.05-0.5 Hz baseline wander per lead, one zeroed lead, a kept window of
    ecgCropSeconds (zero elsewhere), Gaussian noise. signals [n, leads, samples]."""
    n, leads, ns = signals.shape
    u = lambda *shape: torch.rand(shape, generator=gen)
    out = signals * (1 + (u(n, 1, 1) * 2 - 1) * t.get("ecgScaleJitter", 0))
    tt = torch.arange(ns, dtype=torch.float32)
    f_hz, phase, amp = 0.05 + u(n, leads, 1) * 0.45, u(n, leads, 1) * 2 * torch.pi, t.get("ecgWanderMv", 0) * u(n, leads, 1)
    out = out + amp * torch.sin(phase + 2 * torch.pi * f_hz * tt / fs_hz)
    if t.get("ecgNoiseStdMv", 0) > 0:
        out = out + t["ecgNoiseStdMv"] * torch.randn(out.shape, generator=gen)
    keep = torch.ones((n, leads, ns))
    drop = u(n) < t.get("ecgLeadDropout", 0)
    which = torch.randint(leads, (n,), generator=gen)
    lo_s, hi_s = t.get("ecgCropSeconds", [ns / fs_hz, ns / fs_hz])
    crop = u(n) < t.get("ecgCropProb", 0)
    for r in range(n):
        if drop[r]:
            keep[r, int(which[r])] = 0
        if crop[r]:
            w = min(ns, round((lo_s + float(u(1)) * (hi_s - lo_s)) * fs_hz))
            k0 = int(float(u(1)) * (ns - w + 1))
            keep[r, :, :k0] = 0
            keep[r, :, k0 + w :] = 0
    return out * keep


def augment_cxr_affine(pixels, t, gen):
    """src/model/augment.ts augmentCxrAffine: small rotation about the centre, zoom and shift (bilinear, zero
    outside), then contrast/brightness; never a flip. pixels [n, side, side]."""
    n, side, _ = pixels.shape
    u = torch.rand((n, 6), generator=gen) * 2 - 1
    shift = torch.round(u[:, :2] * t["cxrMaxShiftPx"])
    scale, offset = 1 + u[:, 2] * t["cxrIntensityJitter"], u[:, 3] * t["cxrIntensityJitter"]
    angle = u[:, 4] * t.get("cxrMaxRotateDeg", 0) * torch.pi / 180
    zoom = 1 + u[:, 5] * t.get("cxrMaxZoom", 0)
    cos, sin = torch.cos(angle) / zoom, torch.sin(angle) / zoom
    # Output (x, y) samples the source at the inverse transform of (x - dx, y - dy), in normalised coordinates.
    half = (side - 1) / 2
    theta = torch.zeros((n, 2, 3))
    theta[:, 0, 0], theta[:, 0, 1], theta[:, 1, 0], theta[:, 1, 1] = cos, sin, -sin, cos
    theta[:, 0, 2] = -(cos * shift[:, 1] + sin * shift[:, 0]) / half
    theta[:, 1, 2] = -(-sin * shift[:, 1] + cos * shift[:, 0]) / half
    grid = torch.nn.functional.affine_grid(theta, (n, 1, side, side), align_corners=True)
    warped = torch.nn.functional.grid_sample(pixels[:, None], grid, mode="bilinear", padding_mode="zeros", align_corners=True)[:, 0]
    return warped * scale[:, None, None] + offset[:, None, None]


def augment_cxr(pixels, max_shift_px, jitter, gen):
    """Each image shifted by up to max_shift_px (zero fill) and scaled/offset by up to jitter. [n, side, side]."""
    n, side, _ = pixels.shape
    out = torch.zeros_like(pixels)
    u = torch.rand((n, 4), generator=gen) * 2 - 1
    for i in range(n):
        dy, dx = int(round(float(u[i, 0]) * max_shift_px)), int(round(float(u[i, 1]) * max_shift_px))
        scale, offset = 1 + float(u[i, 2]) * jitter, float(u[i, 3]) * jitter
        ys, yd = (0, dy) if dy >= 0 else (-dy, 0)
        xs, xd = (0, dx) if dx >= 0 else (-dx, 0)
        h, w = side - abs(dy), side - abs(dx)
        if h > 0 and w > 0:
            out[i, yd : yd + h, xd : xd + w] = pixels[i, ys : ys + h, xs : xs + w] * scale + offset
    return out
