"""Times the three encoders' inference in PyTorch (training/medbind/model.py, the same architecture and
configuration as the tfjs runtime) on one thread, warm, batch 16, and prints one JSON line with the CPU
time (process_time) and wall time of each timed batch. The tfjs side is tools/bench/encoder-infer-child.ts.
  python tools/bench/encoder_infer.py --config public/weights/manifest.json [--batch 16] [--repeats 5]"""
import argparse
import json
import os
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, REPO)

import torch  # noqa: E402

from training.medbind.model import cxr_forward, ecg_forward, init_params, text_forward  # noqa: E402

TEXT_TOKENS = 32  # the tfjs child pads text to the same bucket


def main(argv=None):
    a = argparse.ArgumentParser()
    a.add_argument("--config", required=True, help="a weights manifest.json (its 'config') or a config JSON")
    a.add_argument("--batch", type=int, default=16)
    a.add_argument("--repeats", type=int, default=5)
    a.add_argument("--warmup", type=int, default=2)
    args = a.parse_args(argv)
    torch.set_num_threads(1)
    with open(args.config, encoding="utf-8") as f:
        raw = json.load(f)
    c = raw.get("config", raw)
    n = args.batch
    g = torch.Generator().manual_seed(1)
    p = {k: v.detach() for k, v in init_params(c, 0).items()}
    cx = torch.randn((n, c["cxr"]["sizePx"] ** 2), generator=g)
    ec = torch.randn((n, len(c["ecg"]["leads"]) * c["ecg"]["nSamples"]), generator=g)
    ids = torch.tensor([[3 + (i * TEXT_TOKENS + j) % 50 if j < 20 else 0 for j in range(TEXT_TOKENS)] for i in range(n)], dtype=torch.long)
    runs = {
        "cxr": lambda: cxr_forward(p, c, cx),
        "ecg": lambda: ecg_forward(p, c, ec),
        "text": lambda: text_forward(p, c, ids),
    }
    out = {"engine": f"pytorch {torch.__version__}", "threads": torch.get_num_threads(), "batch": n, "encoders": {}}
    with torch.inference_mode():
        for name, fn in runs.items():
            for _ in range(args.warmup):
                fn()
            cpu, wall = [], []
            for _ in range(args.repeats):
                c0, w0 = time.process_time(), time.perf_counter()
                fn().sum().item()
                cpu.append((time.process_time() - c0) * 1000)
                wall.append((time.perf_counter() - w0) * 1000)
            out["encoders"][name] = {"cpuMs": cpu, "wallMs": wall}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
