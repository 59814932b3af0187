// Issue 3 benchmarks: per-encoder training step time on cpu (stock kernels and ours), wasm (ours) and
// webgpu (dawn.node + SwiftShader, tiny shapes), the speed-up of each custom kernel over the stock one,
// encoder inference throughput, and the full pretraining run time. Each backend runs in a child process.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Budget } from './budget';
import { runChild } from './child';
import type { BenchRow } from './report';
import { fmtMs, fmtSummary, summarize, type Summary } from './timing';
import type { ChildLine, StepCase, TrainJob } from './train-child';

const here = path.dirname(fileURLToPath(import.meta.url));
const CHILD = path.join(here, 'train-child.ts');
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

export interface TrainingBenchOptions {
  quick: boolean;
  budget: Budget;
  /** Time kept for the sections that run after this one. */
  reserveMs: number;
  log: (msg: string) => void;
}

const steps = (encoders: StepCase['encoder'][], batches: number[], warmup: number, repeats: number): StepCase[] =>
  batches.flatMap((batch) => encoders.map((encoder) => ({ encoder, batch, warmup, repeats })));

const job = (backend: TrainJob['backend'], kernels: TrainJob['kernels'], s: StepCase[], extra: Partial<TrainJob> = {}): TrainJob => ({
  backend, kernels, config: 'default', steps: s, kernelBench: false, kernelRepeats: 3, inferBatch: 0, inferRepeats: 3, ...extra,
});

export async function benchTraining(o: TrainingBenchOptions): Promise<{ rows: BenchRow[]; wasmFullStepMs: number | null }> {
  const rows: BenchRow[] = [];
  const q = o.quick;
  const small = q ? 4 : 8;
  const big = q ? 8 : 32;
  const runs: { label: string; job: TrainJob; timeoutMs: number; env?: NodeJS.ProcessEnv }[] = [
    {
      label: 'wasm, our kernels',
      job: job('wasm', 'ours', q ? steps(['text', 'ecg'], [small], 1, 1) : [...steps(['text', 'ecg', 'cxr'], [small], 1, 1), ...steps(['text', 'ecg', 'cxr'], [big], 1, 1)], {
        inferBatch: q ? 4 : 16, inferRepeats: q ? 1 : 2, kernelBench: true, kernelRepeats: q ? 1 : 2, fullStepBatch: q ? 0 : 32,
      }),
      timeoutMs: q ? 45_000 : 170_000,
    },
  ];
  if (!q) {
    runs.push({ label: 'cpu, kernel speed-ups', job: job('cpu', 'ours', [], { kernelBench: true, kernelRepeats: 1 }), timeoutMs: 45_000 });
    runs.push({ label: 'cpu, our kernels', job: job('cpu', 'ours', steps(['text', 'ecg', 'cxr'], [4], 0, 1)), timeoutMs: 70_000 });
  }
  // Stock cpu kernels: one step of the text encoder (the one whose gradient needs UnsortedSegmentSum) at a
  // small batch, capped; batch 32 is extrapolated linearly. ECG and CXR encoders use neither custom cpu kernel.
  runs.push({ label: 'cpu, stock kernels', job: job('cpu', 'stock', steps(['text'], [4], 0, 1)), timeoutMs: q ? 15_000 : 40_000 });
  const haveIcd = existsSync(SWIFTSHADER_ICD);
  if (haveIcd) {
    runs.push({
      label: 'webgpu (dawn.node + SwiftShader), tiny config',
      job: { ...job('webgpu', 'ours', q ? [] : steps(['ecg'], [4], 0, 1), { inferBatch: q ? 2 : 4, inferRepeats: 1 }), config: 'tiny' },
      timeoutMs: q ? 25_000 : 60_000,
      env: { VK_ICD_FILENAMES: SWIFTSHADER_ICD, XDG_RUNTIME_DIR: '/tmp', LD_LIBRARY_PATH: [path.dirname(SWIFTSHADER_ICD), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') },
    });
  } else {
    rows.push({ issue: 3, name: 'training step, webgpu', result: 'skipped', met: null, note: `no SwiftShader ICD at ${SWIFTSHADER_ICD}` });
  }

  const stepMs = new Map<string, number>(); // `${label}|${encoder}|${batch}` -> p50
  let wasmFullStepMs: number | null = null;
  const stockCapped = new Map<string, { batch: number; capMs: number }>();
  const kernelMs = new Map<string, { ours?: Summary; stock?: Summary; stockError?: string; stockScaledFrom?: string; shape: string; backend: string }>();
  for (const r of runs) {
    const capMs = o.budget.cap(r.timeoutMs, o.reserveMs);
    if (capMs < 8000) {
      rows.push({ issue: 3, name: `training, ${r.label}`, result: 'skipped', met: null, note: 'benchmark time budget spent' });
      continue;
    }
    r.timeoutMs = capMs;
    o.log(`training: ${r.label} (cap ${fmtMs(r.timeoutMs)})`);
    const res = await runChild<ChildLine>(CHILD, r.job, r.timeoutMs, r.env);
    const init = res.lines.find((l) => l.kind === 'init');
    if (!init) {
      const why = res.lines.find((l) => l.kind === 'error')?.message ?? res.stderrTail.split('\n').filter(Boolean).pop() ?? 'no output';
      rows.push({ issue: 3, name: `training step, ${r.label}`, result: 'skipped', met: null, note: r.job.backend === 'webgpu' ? `no WebGPU adapter: ${why.slice(0, 160)}` : why.slice(0, 200) });
      continue;
    }
    const tiny = r.job.config === 'tiny' ? ' (tiny test config)' : '';
    const adapter = init.adapter ? `adapter ${init.adapter}` : undefined;
    for (const l of res.lines) {
      if (l.kind === 'step') {
        const s = summarize(l.samplesMs, l.cpuMs);
        stepMs.set(`${r.label}|${l.encoder}|${l.batch}`, s.p50Ms);
        const cold = r.job.steps.find((sc) => sc.encoder === l.encoder && sc.batch === l.batch)?.warmup === 0;
        const note = [adapter, cold ? `no warm-up step: includes one-off set-up${r.job.backend === 'webgpu' ? ' (shader compilation)' : ''}` : undefined].filter(Boolean).join('; ') || undefined;
        rows.push({ issue: 3, name: `training step, ${l.encoder.toUpperCase()} encoder, batch ${l.batch}, ${r.label}${tiny}`, result: fmtSummary(s, 'mean'), summary: s, met: null, note });
      } else if (l.kind === 'full-step') {
        const s = summarize(l.samplesMs, l.cpuMs);
        wasmFullStepMs = s.p50Ms;
        rows.push({ issue: 3, name: `full MEDBind step (CXR + ECG + texts, TMCL + EMCL, AdamW), batch ${l.batch} per modality, ${r.label}`, result: fmtSummary(s, 'mean'), summary: s, met: null });
      } else if (l.kind === 'infer') {
        const s = summarize(l.samplesMs, l.cpuMs);
        const perS = (l.batch / s.p50Ms) * 1000;
        rows.push({ issue: 3, name: `encoder inference, ${l.encoder.toUpperCase()}, batch ${l.batch}, ${r.label}${tiny}`, result: `${perS.toFixed(1)} items/s (${fmtSummary(s)} per batch)`, summary: s, value: perS, unit: 'items/s', met: null, note: adapter });
      } else if (l.kind === 'kernel') {
        const key = `${init.backend}|${l.kernel}`;
        const e = kernelMs.get(key) ?? { shape: l.shape, backend: init.backend };
        if (l.error) e.stockError = l.error;
        else if (l.samplesMs.length) e[l.impl] = summarize(l.samplesMs, l.cpuMs);
        if (l.impl === 'stock' && l.scaledFrom) e.stockScaledFrom = l.scaledFrom;
        kernelMs.set(key, e);
      } else if (l.kind === 'error') {
        rows.push({ issue: 3, name: `training, ${r.label}`, result: 'error', met: null, note: l.message.slice(0, 200) });
      }
    }
    if (res.timedOut) {
      const missing = r.job.steps.filter((sc) => !stepMs.has(`${r.label}|${sc.encoder}|${sc.batch}`));
      for (const sc of missing) {
        rows.push({ issue: 3, name: `training step, ${sc.encoder.toUpperCase()} encoder, batch ${sc.batch}, ${r.label}${tiny}`, result: `> ${fmtMs(r.timeoutMs)} (not finished within the cap)`, met: null, note: 'lower bound: the process was stopped at the cap' });
        if (r.job.kernels === 'stock') stockCapped.set(sc.encoder, { batch: sc.batch, capMs: r.timeoutMs });
        break; // only the first unfinished case is known to exceed the remaining time
      }
    }
  }

  // Stock cpu extrapolation to batch 32 (time grows about linearly with the batch at these sizes).
  for (const [enc, c] of stockCapped) {
    const ours = stepMs.get(`cpu, our kernels|${enc}|${c.batch}`);
    if (ours !== undefined) rows.push({ issue: 3, name: `cpu step speed-up from our kernels, ${enc.toUpperCase()} encoder, batch ${c.batch}`, result: `> ${(c.capMs / ours).toFixed(1)}x (stock did not finish within ${fmtMs(c.capMs)})`, value: c.capMs / ours, unit: 'x', met: null, note: 'lower bound' });
  }
  for (const enc of ['text', 'ecg', 'cxr']) {
    const stock = stepMs.get(`cpu, stock kernels|${enc}|4`);
    if (stock === undefined) continue;
    rows.push({ issue: 3, name: `training step, ${enc.toUpperCase()} encoder, batch 32, cpu, stock kernels (EXTRAPOLATED: 8 x the batch-4 step)`, result: `~${fmtMs(stock * 8)}`, value: stock * 8, unit: 'ms', met: null, note: 'estimate, not a measurement' });
    const ours = stepMs.get(`cpu, our kernels|${enc}|4`);
    if (ours !== undefined) rows.push({ issue: 3, name: `cpu step speed-up from our kernels, ${enc.toUpperCase()} encoder, batch 4`, result: `${(stock / ours).toFixed(1)}x`, value: stock / ours, unit: 'x', met: null });
  }

  for (const [key, k] of kernelMs) {
    const kernel = key.split('|')[1];
    const name = `kernel ${kernel} on ${k.backend}, ${k.shape}`;
    if (k.ours === undefined) continue;
    const cpuOf = (x: Summary) => x.cpuP50Ms ?? x.p50Ms;
    if (k.stock !== undefined) {
      const sp = cpuOf(k.stock) / cpuOf(k.ours);
      rows.push({
        issue: 3, name, result: `speed-up ${sp.toFixed(1)}x (CPU time ours ${fmtMs(cpuOf(k.ours))} vs stock ${fmtMs(cpuOf(k.stock))}; wall p50 ${fmtMs(k.ours.p50Ms)} vs ${fmtMs(k.stock.p50Ms)})`,
        value: sp, unit: 'x', met: null,
        note: `n=${k.ours.n}/${k.stock.n}; speed-up on CPU time (less disturbed by other jobs)${k.stockScaledFrom ? `; stock time EXTRAPOLATED linearly from a run at ${k.stockScaledFrom} (the full shape takes minutes)` : ''}`,
      });
    } else {
      rows.push({ issue: 3, name, result: `ours ${fmtMs(k.ours.p50Ms)} (CPU time ${fmtMs(cpuOf(k.ours))}); stock: none`, value: k.ours.p50Ms, unit: 'ms', met: null, note: k.stockError ? `no stock kernel on ${k.backend} (${k.stockError.slice(0, 80)}): without ours training fails there` : undefined });
    }
  }

  rows.push(await pretrainingRunRow(wasmFullStepMs));
  return { rows, wasmFullStepMs };
}

/** Reads public/weights/training-curve.json (written by npm run pretrain) for the full run's size and time. */
async function pretrainingRunRow(fullStepMs: number | null): Promise<BenchRow> {
  const file = path.join('public', 'weights', 'training-curve.json');
  const name = 'full pretraining run (npm run pretrain)';
  if (!existsSync(file)) {
    const est = fullStepMs !== null ? `; at the measured wasm full step (${fmtMs(fullStepMs)}) the default ${3000} steps would take ~${fmtMs(fullStepMs * 3000)}` : '';
    return { issue: 3, name, result: 'not available', met: null, note: `no ${file} yet${est}` };
  }
  try {
    const j = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    const stepsDone = Number(j.steps ?? j.totalSteps ?? NaN);
    const wallS = [j.wallSeconds, j.elapsedSeconds, j.elapsedS, j.seconds].map(Number).find((v) => Number.isFinite(v));
    const wallMs = wallS !== undefined ? wallS * 1000 : Number(j.wallMs ?? j.elapsedMs ?? NaN);
    const what = `${stepsDone} steps, batch ${String(j.batch ?? '?')}, version ${String(j.version ?? '?')}`;
    if (Number.isFinite(wallMs)) return { issue: 3, name, result: `${fmtMs(wallMs)} (${what})`, value: wallMs, unit: 'ms', met: null, note: `read from ${file}` };
    const est = fullStepMs !== null && Number.isFinite(stepsDone) ? `~${fmtMs(fullStepMs * stepsDone)} (ESTIMATE: ${stepsDone} steps x the wasm full batch-32 step measured here; data loading and validation not included)` : 'unknown';
    return { issue: 3, name, result: est, met: null, note: `${file} (${what}) records no wall time` };
  } catch (e) {
    return { issue: 3, name, result: 'unreadable', met: null, note: `${file}: ${(e as Error).message}` };
  }
}
