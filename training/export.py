"""Checkpoint -> app weights folder:  python -m training.export --ckpt CKPT --out DIR [--version V]

Writes manifest.json (version, dims, config, preprocessing, sha256 per file), weights.json, float16
cxr/ecg/text .bin files and vocab.json, which the app and `npm run eval -- --weights DIR` load as they load
the shipped weights. A checkpoint made by `python -m training.import_weights` and not trained since is
written back with the imported folder's own manifest and parameter order: the files come out bit for bit."""
import argparse
import datetime
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import torch  # noqa: E402

from training.medbind.weights import encode_weights, write_weight_files  # noqa: E402


def export_checkpoint(ckpt_path, out, version=None):
    s = torch.load(ckpt_path, map_location="cpu")
    params, config = s["params"], s["config"]
    imported = s.get("imported")
    if imported and s["step"] == imported["step"] and not version:
        files = encode_weights(params, config, s["vocab"], None, order=imported["order"], manifest_template=imported["manifest"])
    else:
        variant = s.get("variant", config["train"]["variant"])
        meta = {
            "version": version or f"{variant.lower()}-{datetime.date.today().isoformat()}-s{s.get('seed', 1)}-step{s['step']}-torch",
            "variant": variant,
            "demoPairing": bool(s.get("demoPairing", True)) and variant == "BD",
            "trainedOn": s.get("trainedOn", []),
        }
        files = encode_weights(params, config, s["vocab"], meta)
    write_weight_files(out, files)
    return files


def main(argv=None):
    a = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument("--ckpt", required=True)
    a.add_argument("--out", required=True)
    a.add_argument("--version", help="version string of the written weights (default: from the checkpoint)")
    args = a.parse_args(argv)
    files = export_checkpoint(args.ckpt, args.out, args.version)
    print(f"wrote {', '.join(files)} to {args.out}")


if __name__ == "__main__":
    main()
