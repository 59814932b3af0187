"""App weights folder -> checkpoint:  python -m training.import_weights --weights DIR --ckpt OUT

Reads a weights folder the app ships or exports (sizes and sha256 checked), so PyTorch can start from our
weights (`training/pretrain.py --init DIR` does the same in one step) or write them back unchanged with
`python -m training.export`."""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import torch  # noqa: E402

from training.medbind.optim import AdamW  # noqa: E402
from training.medbind.model import param_specs  # noqa: E402
from training.medbind.weights import load_weights  # noqa: E402


def import_weights(folder, ckpt_path):
    manifest, params, groups, vocab = load_weights(folder)
    config = manifest["config"]
    order = [w["name"] for g in groups for w in g["weights"]]
    opt = AdamW(params, {s[0]: s[3] for s in param_specs(config)}, config["train"])
    state = {
        "step": 0, "params": params, "optim": opt.state_dict(), "curve": [], "totalSteps": 0, "config": config, "vocab": vocab,
        "variant": manifest.get("variant", "BD"), "demoPairing": manifest.get("demoPairing", False), "trainedOn": manifest.get("trainedOn", []),
        "imported": {"step": 0, "manifest": manifest, "order": order, "from": os.path.abspath(folder)},
    }
    os.makedirs(os.path.dirname(os.path.abspath(ckpt_path)), exist_ok=True)
    torch.save(state, ckpt_path)
    return manifest


def main(argv=None):
    a = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument("--weights", required=True)
    a.add_argument("--ckpt", required=True)
    args = a.parse_args(argv)
    m = import_weights(args.weights, args.ckpt)
    print(f"imported {m['version']} ({len(m['files'])} files) into {args.ckpt}")


if __name__ == "__main__":
    main()
