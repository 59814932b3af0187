// ECG preprocessing per record with the polyphase resampler against the direct form it replaced
// (same kernel), interleaved rounds on real 500 Hz LUDB records; ratio of medians.
import { performance } from 'node:perf_hooks';
import { diskFile, SHARED_DATA_DIR } from '../../src/formats/testing';
import type { EcgRecord } from '../../src/formats/types';
import { readWfdbRecord } from '../../src/formats/wfdb';
import { preprocessEcg } from '../../src/model/preprocess';
import { resampleDirect } from '../../src/formats/resample';
import type { BenchRow } from './report';
import { fmtMs, percentile } from './timing';

export async function benchResample(o: { quick: boolean; log: (m: string) => void }): Promise<BenchRow[]> {
  const recs: EcgRecord[] = [];
  for (let i = 1; i <= 20; i++) {
    const b = `${SHARED_DATA_DIR}/ludb/data/${i}`;
    const r = await readWfdbRecord(diskFile(`${b}.hea`), [diskFile(`${b}.dat`)]);
    if (r.ok) recs.push(r.value.record);
  }
  if (recs.length === 0) return [{ issue: 13, name: 'ECG preprocessing per record', result: 'skipped: LUDB not found', met: null }];
  const poly: number[] = [];
  const direct: number[] = [];
  const rounds = o.quick ? 3 : 10;
  for (let r = 0; r < rounds + 1; r++) {
    let t0 = performance.now();
    for (const rec of recs) preprocessEcg(rec, 'bench');
    const p = (performance.now() - t0) / recs.length;
    t0 = performance.now();
    for (const rec of recs) preprocessEcg(rec, 'bench', resampleDirect);
    const d = (performance.now() - t0) / recs.length;
    if (r > 0) {
      poly.push(p);
      direct.push(d);
    } // round 0 warms up
  }
  const med = (x: number[]) => percentile([...x].sort((a, b) => a - b), 0.5);
  o.log(`ECG preprocessing: polyphase ${fmtMs(med(poly))}, direct ${fmtMs(med(direct))} per record`);
  return [
    {
      issue: 13,
      name: `ECG preprocessing per 500 Hz record (12 leads, to 100 Hz + display copy), polyphase FIR vs the direct form (${recs.length} LUDB records)`,
      result: `${fmtMs(med(poly))} vs ${fmtMs(med(direct))} per record (${(med(direct) / med(poly)).toFixed(1)}x faster)`,
      value: med(poly),
      unit: 'ms',
      aim: '~1 ms per record',
      met: med(poly) <= 1.5,
      note: `${rounds} interleaved rounds, ratio of medians; same Kaiser-windowed sinc (301 taps at 500 -> 100 Hz)`,
    },
  ];
}
