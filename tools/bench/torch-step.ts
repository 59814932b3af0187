// The scale-out issue's bench row: the MEDBind training step (default configuration, batch 32 CXR + 32 ECG,
// 8 pairs, TMCL + EMCL, AdamW) in tfjs (wasm, this project's kernels, one thread) next to the same step in
// PyTorch (training/bench_step.py, Debian's CPU torch, one thread), same synthetic batch, interleaved rounds
// on the same machine; the ratio of median CPU times per step is the figure (a co-tenant on this shared
// machine stretches wall time, not the CPU time each side spends).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import type { BenchRow } from './report';
import { fmtMs, summarize } from './timing';

const run = promisify(execFile);
const PY = '/usr/bin/python3';

interface StepTimes {
  wallMs: number[];
  cpuMs: number[];
}

async function tfjsStep(batch: number, steps: number): Promise<StepTimes> {
  const { stdout } = await run('node', ['--import', 'tsx', 'tools/lib/train-step-bench.ts', 'wasm', String(batch), String(steps), 'both', '1'], { maxBuffer: 1 << 20 });
  const m = /:\s*([\d., ]+) ms\/step \(cpu ([\d., ]+) ms\)/.exec(stdout);
  if (!m) throw new Error(`train-step-bench printed no timing: ${stdout.slice(0, 200)}`);
  return { wallMs: m[1].split(',').map(Number), cpuMs: m[2].split(',').map(Number) };
}

/** CPU time per step of training/bench_step.py: the script run with its clock (perf_counter) swapped for process_time. */
async function torchStepCpu(batch: number, steps: number, device = 'cpu'): Promise<number[]> {
  const argv = ['training/bench_step.py', '--batch', String(batch), '--steps', String(steps), '--threads', '1', '--device', device];
  const script = `import runpy, sys, time; time.perf_counter = time.process_time; sys.argv = ${JSON.stringify(argv)}; runpy.run_path(sys.argv[0], run_name='__main__')`;
  const { stdout } = await run(PY, ['-c', script], { env: { ...process.env, OMP_NUM_THREADS: '1' }, maxBuffer: 1 << 20 });
  return (JSON.parse(stdout.trim().split('\n').pop()!) as { msPerStep: number[] }).msPerStep;
}

export async function benchTorchStep(o: { quick: boolean; log: (m: string) => void }): Promise<BenchRow[]> {
  const name = 'training step, batch 32+32, tfjs wasm vs PyTorch CPU, 1 thread each';
  if (!existsSync(PY)) return [{ issue: 12, name, result: 'not measured', met: null, note: `${PY} with python3-torch is not installed` }];
  const rounds = o.quick ? 1 : 3;
  const steps = 2;
  const tf: StepTimes = { wallMs: [], cpuMs: [] };
  const pt: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t = await tfjsStep(32, steps);
    tf.wallMs.push(...t.wallMs);
    tf.cpuMs.push(...t.cpuMs);
    pt.push(...(await torchStepCpu(32, steps)));
    o.log(`torch-step round ${r + 1}/${rounds}: CPU time tfjs ${tf.cpuMs.slice(-steps).map(fmtMs).join(', ')} (wall ${tf.wallMs.slice(-steps).map(fmtMs).join(', ')}); PyTorch ${pt.slice(-steps).map(fmtMs).join(', ')}`);
  }
  const a = summarize(tf.cpuMs);
  const b = summarize(pt);
  const ratio = a.p50Ms / b.p50Ms;
  return [
    {
      issue: 12,
      name,
      result: `CPU time per step tfjs ${fmtMs(a.p50Ms)}, PyTorch ${fmtMs(b.p50Ms)} (medians of ${tf.cpuMs.length} warm steps each, ${rounds} interleaved rounds): tfjs/PyTorch = ${ratio.toFixed(2)}x`,
      value: ratio,
      unit: 'x',
      note: 'GPU step: run training/bench_step.py --device cuda where a GPU is lent',
    },
  ];
}
