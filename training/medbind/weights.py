"""The app's weights folder, read and written as src/model/weights.ts and src/model/load.ts do: manifest.json
(name, version, dims, config, preprocessing, every file with its size and sha256), weights.json (tfjs weight
groups), one float16 .bin per encoder, vocab.json. A folder this module writes loads in the app and in
`npm run eval` unchanged; reading a folder and writing it back reproduces its files bit for bit."""
import hashlib
import json
import os

import numpy as np
import torch

from . import jsjson
from .model import param_specs

MANIFEST_FILE = "manifest.json"
WEIGHTS_FILE = "weights.json"
VOCAB_FILE = "vocab.json"
ENCODERS = ("cxr", "ecg", "text")


def sha256_hex(b):
    return hashlib.sha256(b).hexdigest()


def _read_verified(folder, manifest, name):
    entry = next((f for f in manifest["files"] if f["name"] == name), None)
    if entry is None:
        raise ValueError(f"weights: {name} is not listed in {MANIFEST_FILE}")
    with open(os.path.join(folder, name), "rb") as f:
        b = f.read()
    if len(b) != entry["bytes"]:
        raise ValueError(f"weights: {name} has {len(b)} bytes, manifest says {entry['bytes']}")
    if sha256_hex(b) != entry["sha256"]:
        raise ValueError(f"weights: sha256 mismatch for {name}")
    return b


def load_weights(folder):
    """-> (manifest dict in file order, params name -> float32 tensor, groups as in weights.json, vocab bytes)."""
    with open(os.path.join(folder, MANIFEST_FILE), "rb") as f:
        manifest = json.loads(f.read().decode("utf-8"))
    vocab = _read_verified(folder, manifest, manifest["tokenizer"])
    groups = json.loads(_read_verified(folder, manifest, WEIGHTS_FILE).decode("utf-8"))
    params = {}
    for g in groups:
        buf = b"".join(_read_verified(folder, manifest, p) for p in g["paths"])
        off = 0
        for w in g["weights"]:
            count = int(np.prod(w["shape"])) if w["shape"] else 1
            q = (w.get("quantization") or {}).get("dtype")
            if q == "float16":
                a = np.frombuffer(buf, dtype="<f2", count=count, offset=off).astype(np.float32)
                off += 2 * count
            elif q is None and w["dtype"] == "float32":
                a = np.frombuffer(buf, dtype="<f4", count=count, offset=off).copy()
                off += 4 * count
            else:
                raise ValueError(f"weights: {w['name']}: unsupported dtype/quantization {w['dtype']}/{q}")
            params[w["name"]] = torch.from_numpy(a.reshape(w["shape"]))
    for name, shape, _, _ in param_specs(manifest["config"]):
        if name not in params:
            raise ValueError(f"weights: parameter {name} is missing")
        if list(params[name].shape) != shape:
            raise ValueError(f"weights: parameter {name} has shape {list(params[name].shape)}, expected {shape}")
    return manifest, params, groups, vocab


def encode_weights(params, config, vocab_bytes, meta, order=None, manifest_template=None):
    """Files of a weights folder as name -> bytes (manifest.json last), float16 as the app ships them.
    order: parameter names per encoder (default: the config's parameter list); manifest_template: an
    existing manifest whose fields are kept (round trip), else one is built from config and meta."""
    names = order or [s[0] for s in param_specs(config)]
    files, groups = {}, []
    for enc in ENCODERS:
        enc_names = [n for n in names if n.split("/")[0] == enc]
        if not enc_names:
            continue
        chunks, specs = [], []
        for n in enc_names:
            a = params[n].detach().to(torch.float32).contiguous().numpy()
            chunks.append(a.astype("<f2").tobytes())
            specs.append({"name": n, "shape": list(a.shape), "dtype": "float32", "quantization": {"dtype": "float16", "original_dtype": "float32"}})
        files[f"{enc}.bin"] = b"".join(chunks)
        groups.append({"paths": [f"{enc}.bin"], "weights": specs})
    files[WEIGHTS_FILE] = jsjson.stringify(groups).encode("utf-8")
    files[VOCAB_FILE] = vocab_bytes
    listed = [{"name": k, "bytes": len(b), "sha256": sha256_hex(b)} for k, b in files.items()]
    if manifest_template is not None:
        manifest = dict(manifest_template)
        manifest["files"] = listed
    else:
        vocab_size = len(json.loads(vocab_bytes.decode("utf-8"))["tokens"])
        cfg = dict(config)
        cfg["text"] = dict(config["text"], vocabSize=vocab_size)
        manifest = {
            "name": config["name"],
            "version": meta["version"],
            "variant": meta["variant"],
            "embedDim": config["embedDim"],
            "tau": config["tau"],
            "config": cfg,
            "tokenizer": VOCAB_FILE,
            "preprocessing": {
                "ecg": {"fsHz": config["ecg"]["fsHz"], "nSamples": config["ecg"]["nSamples"], "leads": list(config["ecg"]["leads"])},
                "cxr": {"sizePx": config["cxr"]["sizePx"], "channels": 1},
            },
            "files": listed,
            "demoPairing": meta["demoPairing"],
            "trainedOn": meta["trainedOn"],
        }
    files[MANIFEST_FILE] = jsjson.stringify(manifest, 2).encode("utf-8")
    return files


def write_weight_files(folder, files):
    """Writes every file, manifest.json last, so a reader never sees a manifest for missing files."""
    os.makedirs(folder, exist_ok=True)
    for name in sorted(files, key=lambda n: (n == MANIFEST_FILE, n)):
        tmp = os.path.join(folder, name + ".tmp")
        with open(tmp, "wb") as f:
            f.write(files[name])
        os.replace(tmp, os.path.join(folder, name))
