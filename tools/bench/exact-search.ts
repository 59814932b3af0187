// Exact top-k search latency as a ratio to the memory-bandwidth floor measured in the same run: rounds
// interleave the search (int8 SIMD scan + float32 re-rank, VectorIndex) with a plain SIMD read of the
// same int8 block and of the float32 rows, so machine load hits all three alike; ratios of medians.
// Recall@10 against the float32 scan is checked on a few queries per size. The numpy anchor (float32
// matrix-vector product + argpartition, one BLAS thread, tools/bench/numpy_search.py) runs before and
// after the rounds, in a child process, on rows of the same size and distribution.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { createSimdKernel } from '../../src/workers/engine/simd-kernel';
import { searchTopK } from '../../src/workers/engine/topk';
import { VectorIndex } from '../../src/workers/engine/vector-index';
import type { BenchRow } from './report';
import { fmtMs, percentile } from './timing';

const K = 10;

/** A SIMD read of a float32 copy of the rows (bytes a multiple of 64): the float32 bandwidth floor. */
function float32Floor(rows: Float32Array): (() => number) | null {
  const k = createSimdKernel();
  if (!k) return null;
  const bytes = Math.floor(rows.byteLength / 64) * 64;
  k.memory.grow(Math.ceil((bytes + 64) / 65536));
  new Uint8Array(k.memory.buffer, 64, bytes).set(new Uint8Array(rows.buffer, rows.byteOffset, bytes));
  return () => k.sum(64, bytes);
}

const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 0.5);

const PY = '/usr/bin/python3';
const run = promisify(execFile);

/** Warm per-query times of the numpy anchor, or null where python3 with numpy is missing. */
async function numpyMs(n: number, d: number, repeats: number): Promise<number[] | null> {
  if (!existsSync(PY)) return null;
  try {
    const { stdout } = await run(PY, ['tools/bench/numpy_search.py', '--n', String(n), '--d', String(d), '--k', String(K), '--repeats', String(repeats)], {
      env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
      maxBuffer: 1 << 20,
    });
    return (JSON.parse(stdout.trim().split('\n').pop()!) as { ms: number[] }).ms;
  } catch {
    return null; // no numpy: the row says so
  }
}

export async function benchExactSearch(o: {
  n: number;
  dim: number;
  vectors: Float32Array;
  queries: Float32Array;
  rounds: number;
  log: (m: string) => void;
}): Promise<BenchRow[]> {
  const { n, dim: d } = o;
  const index = new VectorIndex(d, n);
  const chunk = 10_000;
  for (let s = 0; s < n; s += chunk) {
    const e = Math.min(n, s + chunk);
    index.addMany(Array.from({ length: e - s }, (_, i) => `r${s + i}`), o.vectors.subarray(s * d, e * d));
  }
  const int8 = index.int8Rows;
  const nq = o.queries.length / d;
  const query = (i: number) => o.queries.subarray((i % nq) * d, ((i % nq) + 1) * d);
  const label = `${n.toLocaleString('en')} x ${d}`;
  if (!int8) return [{ issue: 13, name: `exact search, top-${K} over ${label}`, result: 'skipped: no WebAssembly SIMD', met: null }];

  // Recall@10 of the int8 path against the float32 scan (and the float32 scan's own latency, the old path).
  let hits = 0;
  const nRecall = Math.min(nq, n >= 1_000_000 ? 3 : 8);
  const floatMs: number[] = [];
  for (let i = 0; i < nRecall; i++) {
    const got = new Set(index.search(query(i), K).map((h) => h.id));
    const t0 = performance.now();
    const want = searchTopK(o.vectors, n, d, query(i), K);
    floatMs.push(performance.now() - t0);
    hits += Array.from(want.indices).filter((r) => got.has(`r${r}`)).length;
  }
  const recall = hits / (K * nRecall);

  const f32 = float32Floor(o.vectors);
  const searchMs: number[] = [];
  const int8Ms: number[] = [];
  const f32Ms: number[] = [];
  let rounds1 = 0;
  const npMs: number[] = [];
  const npRepeats = Math.max(3, Math.ceil(o.rounds / 2));
  const np0 = await numpyMs(n, d, npRepeats);
  if (np0) npMs.push(...np0);
  for (let w = 0; w < 2; w++) index.search(query(w), K); // warm-up
  for (let r = 0; r < o.rounds; r++) {
    let t0 = performance.now();
    index.search(query(r), K);
    searchMs.push(performance.now() - t0);
    if (index.lastRerank?.rounds === 1) rounds1++;
    t0 = performance.now();
    int8.sumBytes();
    int8Ms.push(performance.now() - t0);
    if (f32) {
      t0 = performance.now();
      f32();
      f32Ms.push(performance.now() - t0);
    }
  }
  const np1 = np0 ? await numpyMs(n, d, npRepeats) : null;
  if (np1) npMs.push(...np1);
  const s = median(searchMs);
  const np = npMs.length ? median(npMs) : NaN;
  const npText = npMs.length ? `; numpy (1 thread) ${fmtMs(np)}: ${(s / np).toFixed(2)}x numpy` : '; numpy anchor not measured (no /usr/bin/python3 with numpy)';
  const a8 = median(int8Ms);
  const a32 = f32 ? median(f32Ms) : NaN;
  o.log(`exact search ${label}: p50 ${fmtMs(s)}, int8 read ${fmtMs(a8)}, float32 read ${fmtMs(a32)}, numpy ${fmtMs(np)}`);
  const aimMs = n >= 1_000_000 ? 60 : n >= 100_000 ? 8 : undefined;
  return [
    {
      issue: 13,
      name: `exact search, top-${K} cosine over ${label} (int8 SIMD scan + float32 re-rank of 100 candidates, 1 query, 1 thread)`,
      result: `p50 ${fmtMs(s)} = ${(s / a8).toFixed(2)}x the int8 read (${fmtMs(a8)}), ${(s / a32).toFixed(2)}x the float32 read (${fmtMs(a32)}); float32 JS scan ${fmtMs(median(floatMs))}${npText}; recall@10 ${recall.toFixed(3)}`,
      value: s,
      unit: 'ms',
      aim: aimMs ? `< ${aimMs} ms; within 2x of the bandwidth floor` : undefined,
      met: aimMs ? s < aimMs && s / a32 <= 2 : null,
      note: `${o.rounds} interleaved rounds, ratios of medians; anchors: one SIMD pass reading the same ${fmtBytes(int8.bytes)} int8 block / the ${fmtBytes(n * d * 4)} float32 rows; ${rounds1}/${o.rounds} queries proved exact with the first 100 candidates; random unit rows`,
    },
  ];
}

const fmtBytes = (b: number) => (b >= 2 ** 30 ? `${(b / 2 ** 30).toFixed(2)} GiB` : `${(b / 2 ** 20).toFixed(0)} MiB`);
