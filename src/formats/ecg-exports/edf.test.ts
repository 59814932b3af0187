import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeEdf } from '../../../tools/lib/ecg-writers';
import { loadPtbxlRecord, type PtbxlSource } from '../../../tools/lib/ptbxl-source';
import { buildEdflibTool } from '../../../tools/make-ecg-fixtures';
import { SHARED_DATA_DIR } from '../testing';
import { parseEdf } from './edf';

const FIXTURE = new URL('./fixtures/ptbxl-00032.edf', import.meta.url).pathname;
let src32: PtbxlSource;

beforeAll(async () => {
  src32 = await loadPtbxlRecord(join(SHARED_DATA_DIR, 'ptb-xl'), 32);
});

/** libedf's own reading of a file (null when gcc or libedf is missing). */
function edflibRead(path: string): { labels: string[]; samples: number[][] } | null {
  let tool: string;
  try {
    tool = buildEdflibTool();
  } catch {
    return null;
  }
  const out = execFileSync(tool, ['read', path], { encoding: 'utf8', maxBuffer: 64 << 20 }).trim().split('\n');
  const n = out.length / 2;
  return { labels: out.slice(0, n).map((l) => l.split('|')[0].trim()), samples: out.slice(n).map((l) => l.split(' ').map(Number)) };
}

describe('EDF / EDF+', () => {
  it('reads the libedf-written fixture (PTB-XL 32, 1 uV per digit) exactly, annotation channel skipped', () => {
    const r = parseEdf(new Uint8Array(readFileSync(FIXTURE)), 'ecg.edf');
    if (!r.ok) throw new Error(r.error.message);
    const { record, meta, notes } = r.value;
    expect(record.leadNames).toEqual(['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
    expect(record.fsHz).toBe(500);
    expect(record.nSamples).toBe(5000);
    expect(meta.layout).toBe('edf+');
    expect(notes).toEqual([]); // "EDF Annotations" is skipped without a note
    for (const l of src32.leads) {
      const k = record.leadNames.indexOf(l.name);
      for (let t = 0; t < 5000; t++) expect(Math.abs(record.signalsMv[k][t] - l.mv[t])).toBeLessThan(1e-6);
    }
  });

  it('agrees with libedf on a file written by our writer (extra channel, 0.1 s records)', () => {
    const pleth = new Float32Array(5000).map((_, t) => 50 + 20 * Math.sin(t / 80));
    const bytes = writeEdf(src32, { recordS: 0.1, physRangeMv: 6, edfPlus: true, extraChannels: [{ label: 'Pleth', dim: '%', values: pleth }] });
    const dir = mkdtempSync(join(tmpdir(), 'edf-'));
    writeFileSync(join(dir, 'x.edf'), bytes);
    const r = parseEdf(bytes, 'x.edf');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.notes.join(' ')).toContain('dropped non-ECG channels: Pleth (%)');
    expect(r.value.record.leadNames).toHaveLength(12);
    const step = 12 / 65535;
    for (const l of src32.leads) {
      const k = r.value.record.leadNames.indexOf(l.name);
      for (let t = 0; t < 5000; t++) expect(Math.abs(r.value.record.signalsMv[k][t] - l.mv[t])).toBeLessThanOrEqual(step / 2 + 1e-6);
    }
    const ref = edflibRead(join(dir, 'x.edf'));
    if (!ref) return;
    expect(ref.labels.slice(0, 2)).toEqual(['ECG I', 'ECG II']);
    ref.samples.slice(0, 12).forEach((s, k) => {
      for (let t = 0; t < s.length; t++) expect(r.value.record.signalsMv[k][t]).toBeCloseTo(s[t], 5);
    });
  });

  it('BDF (24-bit): the same record re-encoded with 24-bit samples reads to the same values', () => {
    const two = { ...src32, leads: src32.leads.slice(0, 2) };
    const edf = writeEdf(two, { physRangeMv: 10 });
    const ns = 2;
    const hdr = 256 * (ns + 1);
    const nSamples = (edf.length - hdr) / 2;
    const bdf = new Uint8Array(hdr + nSamples * 3);
    bdf.set(edf.subarray(0, hdr));
    bdf[0] = 0xff;
    bdf.set(new TextEncoder().encode('BIOSEMI'), 1);
    const put = (offset: number, k: number, text: string) => bdf.set(new TextEncoder().encode(text.padEnd(8)), 256 + offset * ns + k * 8);
    for (let k = 0; k < ns; k++) {
      put(120, k, '-8388608');
      put(128, k, '8388607');
    }
    const dv = new DataView(edf.buffer, edf.byteOffset);
    for (let i = 0; i < nSamples; i++) {
      const d24 = dv.getInt16(hdr + 2 * i, true) * 256 + 128;
      const u = d24 & 0xffffff;
      bdf.set([u & 0xff, (u >> 8) & 0xff, (u >> 16) & 0xff], hdr + 3 * i);
    }
    const a = parseEdf(edf, 'x.edf');
    const b = parseEdf(bdf, 'x.bdf');
    if (!a.ok || !b.ok) throw new Error('unreadable');
    expect(b.value.meta.layout).toBe('bdf');
    expect(b.value.record.leadNames).toEqual(['I', 'II']);
    for (let k = 0; k < 2; k++) for (let t = 0; t < 5000; t++) expect(Math.abs(b.value.record.signalsMv[k][t] - a.value.record.signalsMv[k][t])).toBeLessThan(1e-3);
  });

  it('names bad input: short, wrong version, header size, truncated data, no ECG channel', () => {
    const good = writeEdf({ ...src32, leads: src32.leads.slice(0, 2) });
    const cases: [Uint8Array, RegExp][] = [
      [good.subarray(0, 100), /shorter than the 256-byte EDF header/],
      [new Uint8Array(300).fill(0x41), /not an EDF or BDF file/],
      [good.subarray(0, good.length - 10), /truncated: .* of 10 data records/],
    ];
    const badHeader = good.slice();
    badHeader.set(new TextEncoder().encode('999     '), 184);
    cases.push([badHeader, /header size 999 does not match 2 signals/]);
    const eeg = writeEdf({ ...src32, leads: [] }, { extraChannels: [{ label: 'EEG Fz', dim: 'uV', values: new Float32Array(5000) }] });
    cases.push([eeg, /no ECG channel \(channels: EEG Fz \(uV\)\)/]);
    for (const [b, re] of cases) {
      const r = parseEdf(b, 'bad.edf');
      expect(r.ok, String(re)).toBe(false);
      if (!r.ok) expect(r.error).toMatchObject({ file: 'bad.edf', message: expect.stringMatching(re) });
    }
  });

  it('fuzzing (fixed seed): corrupted headers and data never throw and never hang', () => {
    const good = writeEdf({ ...src32, leads: src32.leads.slice(0, 3).map((l) => ({ ...l, mv: l.mv.subarray(0, 1000) })) });
    fc.assert(
      fc.property(fc.nat(1024 - 1), fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.nat(good.length), (pos, noise, cut) => {
        const b = good.slice(0, cut);
        b.set(noise.subarray(0, Math.max(0, b.length - pos)), Math.min(pos, b.length));
        const r = parseEdf(b, 'f.edf');
        if (!r.ok) expect(r.error.file).toBe('f.edf');
      }),
      { seed: 13, numRuns: 400 },
    );
  });
});
