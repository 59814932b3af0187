// The encoders' inference next to PyTorch: tfjs wasm (this project's kernels, one thread) and PyTorch
// (training/medbind/model.py, the same architecture and configuration, one thread), batch 16, warm runs,
// in interleaved rounds of fresh child processes. CPU time per batch is the figure (a co-tenant on the
// shared machine stretches wall time, less so CPU time); the ratio of medians is what the issue asks.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import type { EncoderTimings } from './encoder-infer-child';
import type { BenchRow } from './report';
import { fmtMs, percentile } from './timing';

const run = promisify(execFile);
const PY = '/usr/bin/python3';
const BATCH = 16;
const ENCODERS = ['cxr', 'ecg', 'text'] as const;
/** The issue's aim for inference: tfjs within 2.5x of PyTorch on one thread. */
const AIM_RATIO = 2.5;

function lastJson(stdout: string, what: string): EncoderTimings {
  const line = stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (!line) throw new Error(`${what} printed no JSON line: ${stdout.slice(0, 200)}`);
  return JSON.parse(line) as EncoderTimings;
}

async function tfjsRound(repeats: number): Promise<EncoderTimings> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'tools/bench/encoder-infer-child.ts', JSON.stringify({ batch: BATCH, repeats, warmup: 2 })], { maxBuffer: 1 << 20 });
  return lastJson(stdout, 'encoder-infer-child.ts');
}

async function torchRound(repeats: number): Promise<EncoderTimings> {
  const { stdout } = await run(PY, ['tools/bench/encoder_infer.py', '--config', 'public/weights/manifest.json', '--batch', String(BATCH), '--repeats', String(repeats)], {
    env: { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
    maxBuffer: 1 << 20,
  });
  return lastJson(stdout, 'encoder_infer.py');
}

const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 0.5);

export async function benchEncoders(o: { quick: boolean; log: (m: string) => void }): Promise<BenchRow[]> {
  const names = ENCODERS.map((e) => `${e.toUpperCase()} encoder inference, batch ${BATCH}: tfjs wasm vs PyTorch, 1 thread each`);
  if (!existsSync(PY)) return names.map((name) => ({ issue: 13, name, result: 'not measured', met: null, note: `${PY} with python3-torch is not installed` }));
  const rounds = o.quick ? 1 : 3;
  const repeats = o.quick ? 3 : 5;
  const acc = { tfjs: new Map<string, { cpu: number[]; wall: number[] }>(), torch: new Map<string, { cpu: number[]; wall: number[] }>() };
  let threads = { tfjs: 0, torch: 0 };
  for (let r = 0; r < rounds; r++) {
    // Alternate which side goes first, so a load change hits both alike.
    const sides = r % 2 === 0 ? (['tfjs', 'torch'] as const) : (['torch', 'tfjs'] as const);
    for (const side of sides) {
      const t = side === 'tfjs' ? await tfjsRound(repeats) : await torchRound(repeats);
      threads = { ...threads, [side]: t.threads };
      for (const e of ENCODERS) {
        const m = acc[side].get(e) ?? { cpu: [], wall: [] };
        m.cpu.push(...t.encoders[e].cpuMs);
        m.wall.push(...t.encoders[e].wallMs);
        acc[side].set(e, m);
      }
    }
    o.log(`encoders round ${r + 1}/${rounds}: ` + ENCODERS.map((e) => `${e} tfjs ${fmtMs(median(acc.tfjs.get(e)!.cpu))} / PyTorch ${fmtMs(median(acc.torch.get(e)!.cpu))}`).join('; '));
  }
  if (threads.tfjs !== 1 || threads.torch !== 1) throw new Error(`encoder bench: expected one thread each, got tfjs ${threads.tfjs}, PyTorch ${threads.torch}`);
  return ENCODERS.map((e, i) => {
    const a = acc.tfjs.get(e)!;
    const b = acc.torch.get(e)!;
    const ratio = median(a.cpu) / median(b.cpu);
    const perS = (ms: number) => ((BATCH * 1000) / ms).toFixed(0);
    return {
      issue: 13,
      name: names[i],
      result:
        `tfjs ${perS(median(a.cpu))} items/s, PyTorch ${perS(median(b.cpu))} items/s (CPU time per batch ${fmtMs(median(a.cpu))} vs ${fmtMs(median(b.cpu))}; ` +
        `wall ${fmtMs(median(a.wall))} vs ${fmtMs(median(b.wall))}; medians of ${a.cpu.length} warm batches each, ${rounds} interleaved rounds): tfjs/PyTorch = ${ratio.toFixed(2)}x`,
      value: ratio,
      unit: 'x',
      aim: `<= ${AIM_RATIO}x`,
      met: ratio <= AIM_RATIO,
      note: 'same architecture and shapes (shipped configuration, text padded to 32 tokens), random inputs',
    };
  });
}
