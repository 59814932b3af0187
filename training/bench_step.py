"""Times the MEDBind training step in PyTorch on the same synthetic batch as tools/lib/train-step-bench.ts
(default configuration, 32 CXR + 32 ECG rows, 8 pairs, TMCL + EMCL, AdamW), warm, and prints one JSON line.
  python training/bench_step.py [--batch 32] [--steps 3] [--threads 1] [--device cpu|cuda]"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import torch  # noqa: E402

from training.medbind.losses import loss_from_embeddings  # noqa: E402
from training.medbind.model import cxr_forward, ecg_forward, init_params, pad_token_ids, param_specs, text_forward  # noqa: E402
from training.medbind.optim import AdamW, lr_at  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main(argv=None):
    a = argparse.ArgumentParser()
    a.add_argument("--batch", type=int, default=32)
    a.add_argument("--steps", type=int, default=3)
    a.add_argument("--threads", type=int, default=1)
    a.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    a.add_argument("--config", default=os.path.join(REPO, "src", "model", "configs", "default.json"))
    args = a.parse_args(argv)
    torch.set_num_threads(args.threads)
    dev = torch.device(args.device)
    with open(args.config, encoding="utf-8") as f:
        c = json.load(f)
    c["text"]["vocabSize"] = 64
    n = args.batch
    g = torch.Generator().manual_seed(1)
    cx = torch.randn((n, 224, 224), generator=g).to(dev)
    ec = (torch.randn((n, 12, 1000), generator=g) * 0.3).to(dev)
    keys = [i % 7 for i in range(n)]
    ids = pad_token_ids([[2] + [3 + (k + j) % 60 for j in range(10)] for k in keys], c["text"]["lengthBucket"], c["text"]["maxTokens"]).to(dev)
    p = {k: v.detach().to(dev).requires_grad_(True) for k, v in init_params(c, 0).items()}
    opt = AdamW(p, {s[0]: s[3] for s in param_specs(c)}, c["train"])
    times = []
    for step in range(args.steps + 1):
        if dev.type == "cuda":
            torch.cuda.synchronize()
        t0 = time.perf_counter()
        for v in p.values():
            v.grad = None
        tc, te = text_forward(p, c, ids), text_forward(p, c, ids)
        total, _, _, _ = loss_from_embeddings(c, tc, cxr_forward(p, c, cx), keys, te, ecg_forward(p, c, ec), keys, n // 4)
        total.backward()
        opt.apply({k: v.grad for k, v in p.items()}, lr_at(step, c["train"]))
        if dev.type == "cuda":
            torch.cuda.synchronize()
        if step > 0:  # the first step warms up
            times.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({"engine": f"pytorch {torch.__version__}", "device": str(dev), "threads": args.threads, "batch": n, "msPerStep": times}))


if __name__ == "__main__":
    main()
