"""MEDBind pretraining at scale, on the engine the field uses (PyTorch + torchrun), with the app's model:

  torchrun --standalone --nproc_per_node=N training/pretrain.py --data DIR --steps N --out DIR [--resume]
  torchrun --nnodes=2 --node_rank=R --nproc_per_node=N --rdzv_backend=c10d --rdzv_endpoint=HOST:PORT \\
      training/pretrain.py --data DIR --steps N --out DIR

DIR is a folder written by `npm run export-prepared` (the TypeScript pipeline's prepared inputs and token
ids), or any data folder in the app's dataset layouts, which is then exported first with that same
command (PyTorch never re-implements the parsers). Writes checkpoints on the way (resumable with --resume),
a loss curve with validation points, and at the end an app weights folder in --out that the app and
`npm run eval -- --weights OUT` load unchanged. gloo on CPU, nccl on GPU; the loss is computed over the
global batch on every rank (embeddings gathered with gradients), so N processes train as one would."""
import argparse
import datetime
import hashlib
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import torch  # noqa: E402

from training.medbind import dist as mdist  # noqa: E402
from training.medbind import jsjson  # noqa: E402
from training.medbind.data import BatchSampler, Prepared, sqrt_inverse_frequency  # noqa: E402
from training.medbind.model import init_params, param_specs  # noqa: E402
from training.medbind.optim import AdamW  # noqa: E402
from training.medbind.train import eval_loss, train_step  # noqa: E402
from training.medbind.weights import encode_weights, load_weights, write_weight_files  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def parse_args(argv=None):
    a = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument("--data", required=True, help="prepared folder (index.json) or a data folder in the app's layouts")
    a.add_argument("--steps", type=int, required=True, help="total optimisation steps (the cosine schedule's length)")
    a.add_argument("--out", required=True, help="app weights folder written at the end")
    a.add_argument("--resume", action="store_true", help="continue from the checkpoint in --out (or --ckpt)")
    a.add_argument("--ckpt", help="checkpoint path (default OUT/checkpoint.pt)")
    a.add_argument("--batch", type=int, default=32, help="global CXR rows and global ECG rows per step")
    a.add_argument("--paired", type=int, default=8, help="CXR-ECG pair rows per step (EMCL)")
    a.add_argument("--variant", choices=["BD", "NM"], default="BD")
    a.add_argument("--seed", type=int, default=1)
    a.add_argument("--init", help="start from an app weights folder (its vocabulary must match the data's)")
    a.add_argument("--config", help="model configuration JSON (default: the prepared data's)")
    a.add_argument("--ckpt-every", type=int, default=50)
    a.add_argument("--val-every", type=int, default=100)
    a.add_argument("--snapshot-every", type=int, default=0, help="also write an app weights folder OUT/steps/step-N every N steps (0: off)")
    a.add_argument("--lr", type=float, help="peak learning rate (default: the config's)")
    a.add_argument("--max-minutes", type=float, help="stop (resumably) after this long")
    a.add_argument("--float64", action="store_true", help="train in float64 (exactness checks; the weights are written as float16 as always)")
    a.add_argument("--ecg-sampling", choices=["sqrt", "uniform"], default="sqrt", help="sqrt: ECGs drawn with 1/sqrt(label-set frequency) weights")
    a.add_argument("--quiet", action="store_true")
    return a.parse_args(argv)


def ensure_prepared(data_dir, init, rank):
    """A prepared folder as is; a raw data folder exported once by the TypeScript pipeline (rank 0 exports)."""
    if os.path.exists(os.path.join(data_dir, "index.json")):
        return data_dir
    key = hashlib.sha256(f"{os.path.abspath(data_dir)}|{init or ''}".encode()).hexdigest()[:12]
    out = os.path.join(REPO, ".cache", "scale", f"prepared-{key}")
    if rank == 0 and not os.path.exists(os.path.join(out, "index.json")):
        cmd = ["node", "--import", "tsx", "tools/export-prepared.ts", "--data", os.path.abspath(data_dir), "--out", out]
        cmd += ["--weights", os.path.abspath(init)] if init else ["--build-vocab"]
        subprocess.run(cmd, cwd=REPO, check=True)
    while not os.path.exists(os.path.join(out, "index.json")):
        time.sleep(1)
    return out


def main(argv=None):
    args = parse_args(argv)
    rank, world, device = mdist.setup()
    log = (lambda s: None) if (rank != 0 or args.quiet) else (lambda s: print(f"[pretrain.py {time.strftime('%H:%M:%S')}] {s}", flush=True))
    data = Prepared(ensure_prepared(args.data, args.init, rank))
    config = json.loads(json.dumps(data.config))
    if args.config:
        with open(args.config, "r", encoding="utf-8") as f:
            config = json.load(f)
        config["text"] = dict(config["text"], vocabSize=data.config["text"]["vocabSize"])
    config["train"] = dict(config["train"], variant=args.variant, totalSteps=args.steps)
    if args.lr:
        config["train"]["peakLr"] = args.lr
    specs = param_specs(config)
    params = init_params(config, args.seed)
    if args.init:
        manifest, loaded, _, vocab = load_weights(args.init)
        if vocab != data.vocab_bytes:
            raise SystemExit(f"{args.init}: its vocabulary differs from the data's; export the data with --weights {args.init}")
        for k, v in loaded.items():
            if k in params and list(v.shape) == list(params[k].shape):
                params[k] = v.clone().float().requires_grad_(True)
        log(f"initialised from {args.init} ({manifest['version']})")
    dtype = torch.float64 if args.float64 else torch.float32
    params = {k: v.detach().to(device=device, dtype=dtype).requires_grad_(True) for k, v in params.items()}
    opt = AdamW(params, {s[0]: s[3] for s in specs}, config["train"])

    train_c, train_e = data.split("train", "cxr"), data.split("train", "ecg")
    val_c, val_e = data.split("val", "cxr"), data.split("val", "ecg")
    paired = args.paired if args.variant == "BD" else 0
    ecg_w = sqrt_inverse_frequency(data, train_e) if args.ecg_sampling == "sqrt" else None
    sampler = BatchSampler(data, train_c, train_e, args.batch, args.batch, paired, args.seed, ecg_w)
    val_sampler = BatchSampler(data, val_c, val_e, args.batch, args.batch, paired, args.seed + 1000)
    val_batches = [val_sampler.batch(i) for i in range(3)] if (val_c or val_e) else []
    log(f"{world} process(es) on {device}; {len(train_c)} CXR + {len(train_e)} ECG training items, {len(sampler.pairs)} pairs; "
        f"batch {args.batch}+{args.batch} ({args.batch // world} rows each per process), {args.steps} steps")

    ckpt = args.ckpt or os.path.join(args.out, "checkpoint.pt")
    step, curve = 0, []
    if args.resume and os.path.exists(ckpt):
        s = torch.load(ckpt, map_location=device)
        if s["totalSteps"] != args.steps or s["vocab_sha"] != hashlib.sha256(data.vocab_bytes).hexdigest():
            raise SystemExit(f"{ckpt} was made with another step count or vocabulary; start without --resume")
        with torch.no_grad():
            for k, v in s["params"].items():
                params[k].copy_(v)
        opt.load_state_dict(s["optim"])
        step, curve = s["step"], s["curve"]
        log(f"resumed from {ckpt} at step {step}")

    def save_checkpoint():
        if rank != 0:
            return
        os.makedirs(os.path.dirname(os.path.abspath(ckpt)), exist_ok=True)
        state = {"step": step, "params": {k: v.detach().cpu() for k, v in params.items()}, "optim": opt.state_dict(), "curve": curve,
                 "totalSteps": args.steps, "vocab_sha": hashlib.sha256(data.vocab_bytes).hexdigest(), "config": config,
                 "vocab": data.vocab_bytes, "variant": args.variant, "seed": args.seed, "demoPairing": data.index["pairing"]["demo"]}
        torch.save(state, ckpt + ".tmp")
        os.replace(ckpt + ".tmp", ckpt)

    def weights_meta(at_step):
        version = f"{args.variant.lower()}-{datetime.date.today().isoformat()}-s{args.seed}-step{at_step}-torch"
        trained_on = sorted({data.items[i]["dataset"] for i in train_c + train_e})
        return {"version": version, "variant": args.variant, "demoPairing": args.variant == "BD" and data.index["pairing"]["demo"], "trainedOn": trained_on}

    deadline = time.time() + args.max_minutes * 60 if args.max_minutes else float("inf")
    t0, start = time.time(), step
    while step < args.steps and time.time() < deadline:
        parts = train_step(params, opt, config, data, sampler.batch(step), step, args.seed, device)
        step = parts["step"]
        point = {k: parts[k] for k in ("step", "total", "tmclCxr", "tmclEcg", "emcl", "lr")}
        if val_batches and (step % args.val_every == 0 or step == args.steps):
            point["val"] = sum(eval_loss(params, config, data, b, device) for b in val_batches) / len(val_batches)
        curve.append(point)
        if step % 10 == 0 or "val" in point:
            per = (time.time() - t0) / (step - start)
            log(f"step {step}/{args.steps} loss {parts['total']:.3f} (cxr {parts['tmclCxr']:.3f} ecg {parts['tmclEcg']:.3f} emcl {parts['emcl']:.3f})"
                + (f" val {point['val']:.3f}" if "val" in point else "") + f" lr {parts['lr']:.2e} {per:.3f} s/step ETA {per * (args.steps - step) / 60:.1f} min")
        if step % args.ckpt_every == 0:
            save_checkpoint()
        if args.snapshot_every and step % args.snapshot_every == 0 and step < args.steps and rank == 0:
            write_weight_files(os.path.join(args.out, "steps", f"step-{step:05d}"), encode_weights(params, config, data.vocab_bytes, weights_meta(step)))
    save_checkpoint()
    if rank == 0:
        meta = weights_meta(step)
        version = meta["version"]
        write_weight_files(args.out, encode_weights(params, config, data.vocab_bytes, meta))
        with open(os.path.join(args.out, "training-curve.json"), "w", encoding="utf-8") as f:
            f.write(jsjson.stringify({"version": version, "variant": args.variant, "totalSteps": args.steps, "steps": step, "batch": args.batch,
                                      "seed": args.seed, "processes": world, "engine": f"pytorch {torch.__version__}", "curve": curve}))
        with open(os.path.join(args.out, "train-ids.json"), "w", encoding="utf-8") as f:
            f.write(jsjson.stringify({"version": version, "ids": sorted(data.items[i]["id"] for i in train_c + train_e)}))
        log(f"wrote {args.out} (version {version})" + ("" if step >= args.steps else f"; stopped at step {step}, run again with --resume"))
    if world > 1:
        torch.distributed.barrier()
        torch.distributed.destroy_process_group()


if __name__ == "__main__":
    main()
