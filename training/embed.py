"""Batch embedder for archives:  python training/embed.py --data DIR --weights DIR --out DIR [--batch 256]

Embeds every CXR and ECG of a prepared folder (or a data folder in the app's layouts, exported first by the
TypeScript pipeline) with an app weights folder, on the GPU when there is one, into sharded float32 .npy
files [rows, embedDim] and embeddings.json (model version and the sha256 of its manifest, then per item its
id, content hash, modality, shard, row and source files). The app imports that folder for the items it holds (Library ->
Import embeddings), so a hospital-scale library need not be re-embedded in a browser tab."""
import argparse
import hashlib
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from training.medbind import jsjson  # noqa: E402
from training.medbind.data import Prepared  # noqa: E402
from training.medbind.model import cxr_forward, ecg_forward  # noqa: E402
from training.medbind.weights import MANIFEST_FILE, load_weights  # noqa: E402
from training.pretrain import ensure_prepared  # noqa: E402

EMBEDDINGS_FORMAT = "medbind-embeddings"


def embed_folder(data_dir, weights_dir, out, batch=256, shard_rows=65536, device=None, log=print):
    device = device or torch.device("cuda" if torch.cuda.is_available() else "cpu")
    manifest, params, _, _ = load_weights(weights_dir)
    with open(os.path.join(weights_dir, MANIFEST_FILE), "rb") as f:
        manifest_sha = hashlib.sha256(f.read()).hexdigest()
    config = manifest["config"]
    p = {k: v.to(device) for k, v in params.items()}
    data = Prepared(ensure_prepared(data_dir, weights_dir, 0))
    os.makedirs(out, exist_ok=True)
    shards, items = [], []
    t0 = time.time()
    for modality, forward in (("cxr", cxr_forward), ("ecg", ecg_forward)):
        idx = [i for i, it in enumerate(data.items) if it["modality"] == modality]
        for s in range(0, len(idx), shard_rows):
            part = idx[s : s + shard_rows]
            vecs = np.zeros((len(part), config["embedDim"]), dtype=np.float32)
            with torch.no_grad():
                for b in range(0, len(part), batch):
                    chunk = part[b : b + batch]
                    vecs[b : b + len(chunk)] = forward(p, config, data.inputs(chunk).to(device)).cpu().numpy()
            file = f"embeddings-{modality}-{len(shards):05d}.npy"
            np.save(os.path.join(out, file), vecs)
            shards.append({"file": file, "modality": modality, "rows": len(part)})
            for r, i in enumerate(part):
                it = data.items[i]
                entry = {"id": it["id"], "modality": modality, "shard": len(shards) - 1, "row": r, "files": it.get("files", [])}
                if it.get("contentHash"):
                    entry["contentHash"] = it["contentHash"]
                items.append(entry)
        log(f"[embed.py] {modality}: {len(idx)} items in {time.time() - t0:.1f} s on {device}")
    index = {"format": EMBEDDINGS_FORMAT, "version": 1, "model": {"version": manifest["version"], "manifestSha256": manifest_sha},
             "embedDim": config["embedDim"], "shards": shards, "items": items}
    with open(os.path.join(out, "embeddings.json"), "w", encoding="utf-8") as f:
        f.write(jsjson.stringify(index))
    return index


def main(argv=None):
    a = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument("--data", required=True)
    a.add_argument("--weights", required=True)
    a.add_argument("--out", required=True)
    a.add_argument("--batch", type=int, default=256)
    a.add_argument("--shard-rows", type=int, default=65536)
    args = a.parse_args(argv)
    index = embed_folder(args.data, args.weights, args.out, args.batch, args.shard_rows)
    print(f"wrote {len(index['items'])} embeddings of {index['model']['version']} to {args.out}")


if __name__ == "__main__":
    main()
