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

    def __init__(self, data, cxr_pool, ecg_pool, batch_cxr, batch_ecg, paired_per_batch, seed):
        self.data, self.cxr_pool, self.ecg_pool = data, cxr_pool, ecg_pool
        self.batch_cxr, self.batch_ecg, self.seed = batch_cxr, batch_ecg, seed
        self.pairs = data.pairs_within(set(cxr_pool) | set(ecg_pool)) if paired_per_batch > 0 else []
        self.paired_per_batch = paired_per_batch

    def batch(self, step):
        rng = np.random.default_rng([self.seed, step])
        m = min(self.paired_per_batch, len(self.pairs), self.batch_cxr, self.batch_ecg)
        chosen = rng.choice(len(self.pairs), size=m, replace=False) if m else []
        cx = [self.pairs[k][0] for k in chosen]
        ec = [self.pairs[k][1] for k in chosen]

        def fill(pool, into, n):
            taken = set(into)
            rest = [i for i in pool if i not in taken]
            need = n - len(into)
            if need > 0 and rest:
                into += [rest[k] for k in rng.choice(len(rest), size=min(need, len(rest)), replace=False)]
            while len(into) < n and pool:  # a pool smaller than the batch: repeat items
                into.append(pool[int(rng.integers(len(pool)))])

        fill(self.cxr_pool, cx, self.batch_cxr)
        fill(self.ecg_pool, ec, self.batch_ecg)
        text_of = lambda i: self.data.items[i]["texts"][int(rng.integers(len(self.data.items[i]["texts"])))]
        return Batch(cx, ec, [text_of(i) for i in cx], [text_of(i) for i in ec], m)


def augment_ecg(signals, std_mv, gen):
    """Adds N(0, std_mv^2) noise (the paper's ECG augmentation). signals [n, leads, samples]."""
    if std_mv <= 0:
        return signals
    return signals + std_mv * torch.randn(signals.shape, generator=gen)


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
