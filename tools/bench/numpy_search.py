"""The numpy anchor of the exact-search bench: top-k cosine over n x d random unit rows (float32, the same
distribution as tools/bench/search.ts randomUnitRows: uniform in [-0.5, 0.5), rows L2-normalised) as one
float32 matrix-vector product plus argpartition and a sort of the k best, warm, one BLAS thread by default.
Prints one JSON line with the milliseconds of each timed query.
  OMP_NUM_THREADS=1 python tools/bench/numpy_search.py --n 100000 [--d 256] [--k 10] [--repeats 15]"""
import argparse
import json
import os
import time

import numpy as np


def main(argv=None):
    a = argparse.ArgumentParser()
    a.add_argument("--n", type=int, required=True)
    a.add_argument("--d", type=int, default=256)
    a.add_argument("--k", type=int, default=10)
    a.add_argument("--repeats", type=int, default=15)
    args = a.parse_args(argv)
    rng = np.random.default_rng(args.n)
    rows = np.empty((args.n, args.d), dtype=np.float32)
    chunk = 100_000
    for s in range(0, args.n, chunk):  # in chunks: no float64 copy of the whole matrix
        block = rng.random((min(chunk, args.n - s), args.d), dtype=np.float32) - np.float32(0.5)
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        rows[s : s + len(block)] = block
    queries = rng.random((args.repeats + 2, args.d), dtype=np.float32) - np.float32(0.5)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)

    def top_k(q):
        scores = rows @ q
        idx = np.argpartition(-scores, args.k)[: args.k]
        return idx[np.argsort(-scores[idx], kind="stable")]

    for q in queries[:2]:  # warm-up
        top_k(q)
    ms = []
    for q in queries[2:]:
        t0 = time.perf_counter()
        top_k(q)
        ms.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({"engine": f"numpy {np.__version__}", "threads": os.environ.get("OMP_NUM_THREADS", "default"), "n": args.n, "d": args.d, "ms": ms}))


if __name__ == "__main__":
    main()
