import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { discoverDatasets, loadItem } from '../datasets';
import { memFile, SHARED_DATA_DIR } from '../testing';
import type { InputFile } from '../types';
import { preprocessEcg } from '../../model/preprocess';
import { decodeWfdb, parseWfdbHeader } from '../wfdb';
import { readWfdbRecord } from './record';
import { encodeFormat8, encodeStream, sumMod16 } from './encode.testing';

const DATA = SHARED_DATA_DIR;
const HERE = new URL('.', import.meta.url).pathname;
const fixture = (name: string) => new Uint8Array(readFileSync(`${HERE}testdata/${name}`));

async function read(hea: string, files: Record<string, Uint8Array>, heaName = 'r.hea') {
  const r = await readWfdbRecord(memFile(heaName, hea), Object.entries(files).map(([n, b]) => memFile(n, b)));
  return r;
}

async function readOk(hea: string, files: Record<string, Uint8Array>, heaName = 'r.hea') {
  const r = await read(hea, files, heaName);
  if (!r.ok) throw new Error(`${r.error.file}: ${r.error.message}`);
  return r.value;
}

const mvOf = (codes: number[], gain: number, baseline = 0) => codes.map((v) => Math.fround((v - baseline) / gain));
const sine = (n: number, period: number, amp: number) => Array.from({ length: n }, (_, t) => Math.round(amp * Math.sin((2 * Math.PI * t) / period)) + 0);
const interleave = (...sigs: number[][]) => sigs[0].flatMap((_, t) => sigs.map((s) => s[t]));

/** PTB-XL record 1 at 100 Hz: leads I and II as int16 codes (read straight from the .dat bytes). */
function ptbxlLeadsIandII(): [number[], number[]] {
  const d = readFileSync(`${DATA}/ptb-xl/records100/00000/00001_lr.dat`);
  const I: number[] = [];
  const II: number[] = [];
  for (let t = 0; t < d.length / 24; t++) {
    I.push(d.readInt16LE(24 * t));
    II.push(d.readInt16LE(24 * t + 2));
  }
  return [I, II];
}

describe('shared real records read exactly as the previous reader did', () => {
  const previous = JSON.parse(readFileSync(`${HERE}testdata/previous-reader.json`, 'utf8')) as Record<string, { fsHz: number; nSamples: number; leadNames: string[]; sha256: string }>;
  for (const [path, want] of Object.entries(previous)) {
    it(path, async () => {
      const ext = path.startsWith('cinc') ? 'mat' : 'dat';
      const hea = readFileSync(`${DATA}/${path}.hea`, 'utf8');
      const r = await readOk(hea, { [`${path.split('/').pop()}.${ext}`]: new Uint8Array(readFileSync(`${DATA}/${path}.${ext}`)) }, `${path.split('/').pop()}.hea`);
      const h = createHash('sha256');
      for (const s of r.record.signalsMv) h.update(new Uint8Array(s.buffer, s.byteOffset, s.byteLength));
      expect({ fsHz: r.record.fsHz, nSamples: r.record.nSamples, leadNames: r.record.leadNames, sha256: h.digest('hex') }).toEqual(want);
    });
  }
});

describe('records in every format', () => {
  it('format 8: initial value plus first differences, checksum over the values', async () => {
    const v = [100, 105, 103, 230, 102];
    const dat = encodeFormat8(v.map((x) => [x]), [100]);
    expect(Array.from(dat)).toEqual([0, 5, 0xfe, 127, 0x80]);
    const r = await readOk(`r 1 100 5\nr.dat 8 100 8 0 100 ${sumMod16(v)} 0 I\n`, { 'r.dat': dat });
    expect(Array.from(r.record.signalsMv[0])).toEqual(mvOf(v, 100));
  });

  it('the same 3-lead record written in 16, 61, 80, 160, 24, 32, 212, 310 and 311 reads the same', async () => {
    const leads = [sine(251, 37, 300), sine(251, 53, 200), sine(251, 71, 100)];
    const sums = leads.map(sumMod16);
    for (const f of [16, 61, 80, 160, 24, 32, 212, 310, 311]) {
      const scaled = f === 80 ? leads.map((l) => l.map((x) => Math.round(x / 4))) : leads;
      const hea = `r 3 250 251\n${scaled.map((l, j) => `r.dat ${f} 100 12 0 0 ${sumMod16(l)} 0 L${j}`).join('\n')}\n`;
      const r = await readOk(hea, { 'r.dat': encodeStream(f, interleave(...scaled)) });
      expect(r.record.nSamples).toBe(251);
      scaled.forEach((l, j) => expect(Array.from(r.record.signalsMv[j])).toEqual(mvOf(l, 100)));
      expect(sums.length).toBe(3);
    }
  });

  it('an odd number of samples in 212, 310 and 311 is complete, not truncated (also at discovery)', async () => {
    for (const f of [212, 310, 311]) {
      const v = [1, -2, 3, -4, 5];
      const dat = encodeStream(f, v);
      expect(dat.length).toBe({ 212: 8, 310: 8, 311: 7 }[f]);
      const hea = `o 1 100 5\no.dat ${f} 1 12 0 0 ${sumMod16(v)} 0 I\n`;
      const r = await readOk(hea, { 'o.dat': dat }, 'o.hea');
      expect(Array.from(r.record.signalsMv[0])).toEqual(v);
      const d = await discoverDatasets([memFile('o.hea', hea), memFile('o.dat', dat)]);
      expect(d.errors).toEqual([]);
      expect(d.items).toHaveLength(1);
      const cut = await read(hea, { 'o.dat': dat.slice(0, -1) }, 'o.hea');
      expect(cut.ok || cut.error.message).toMatch(/truncated/);
    }
  });

  it('byte offsets: samples start after a prolog', async () => {
    const v = [7, -7, 70];
    const dat = new Uint8Array([9, 9, 9, ...encodeStream(16, v)]);
    const r = await readOk(`r 1 100 3\nr.dat 16+3 10 16 0 0 70 0 I\n`, { 'r.dat': dat });
    expect(Array.from(r.record.signalsMv[0])).toEqual(mvOf(v, 10));
  });

  it('FLAC 508/516/524 made with the reference flac encoder decode to the PTB-XL codes they were made from', async () => {
    const [I, II] = ptbxlLeadsIandII();
    const cases: [number, string, (x: number) => number][] = [
      [516, 'flac16.flac', (x) => x],
      [508, 'flac8.flac', (x) => Math.max(-127, Math.min(127, Math.floor(x / 8)))],
      [524, 'flac24.flac', (x) => x * 256],
    ];
    for (const [format, file, code] of cases) {
      const a = I.map(code);
      const b = II.map(code);
      const hea = `f 2 100 1000\n${file} ${format} 1000 16 0 0 ${sumMod16(a)} 0 I\n${file} ${format} 1000 16 0 0 ${sumMod16(b)} 0 II\n`;
      const r = await readOk(hea, { [file]: fixture(file) }, 'f.hea');
      expect(r.record.nSamples).toBe(1000);
      expect(Array.from(r.record.signalsMv[0])).toEqual(mvOf(a, 1000));
      expect(Array.from(r.record.signalsMv[1])).toEqual(mvOf(b, 1000));
    }
    const hea = `f 2 100 1000\nf.flac 516 1000 16 0 0 0 0 I\nf.flac 516 1000 16 0 0 0 0 II\n`;
    const half = await read(hea, { 'f.flac': fixture('flac16.flac').slice(0, 900) }, 'f.hea');
    expect(half.ok).toBe(false);
    const junk = await read(hea, { 'f.flac': new Uint8Array(500).fill(7) }, 'f.hea');
    expect(junk.ok).toBe(false);
  });
});

describe('frames, skew, channels', () => {
  it('multi-frequency (16x4 and 16x2 in one frame): leads at their own rate, brought to the highest', async () => {
    const frames = 250; // 2.5 s at 100 frames/s
    const ii = sine(frames * 4, 40, 500); // 400 Hz
    const v = sine(frames * 2, 20, 500); // 200 Hz, the same 10 Hz wave
    const pleth = sine(frames, 50, 90);
    const stream: number[] = [];
    for (let f = 0; f < frames; f++) stream.push(...ii.slice(4 * f, 4 * f + 4), ...v.slice(2 * f, 2 * f + 2), pleth[f]);
    const hea = `mf 3 100 ${frames}\nmf.dat 16x4 200 16 0 0 ${sumMod16(ii)} 0 II\nmf.dat 16x2 200 16 0 0 ${sumMod16(v)} 0 V\nmf.dat 16 1/NU 16 0 0 0 0 PLETH\n`;
    const r = await readOk(hea, { 'mf.dat': encodeStream(16, stream) }, 'mf.hea');
    expect(r.record.fsHz).toBe(400);
    expect(r.record.leadNames).toEqual(['II', 'V']);
    expect(r.record.nSamples).toBe(1000);
    expect(Array.from(r.record.signalsMv[0])).toEqual(mvOf(ii, 200));
    // V upsampled to 400 Hz follows the same 10 Hz wave as II (away from the edges).
    const d = r.record.signalsMv[1];
    let err = 0;
    for (let t = 100; t < 900; t++) err = Math.max(err, Math.abs(d[t] - ii[t] / 200));
    expect(err).toBeLessThan(0.05);
    expect(r.record.notes?.join('; ')).toMatch(/PLETH \(NU\)/);
  });

  it('skew: a signal delayed by N samples is read N frames later; past the file it is missing (NaN)', async () => {
    const a = [1, 2, 3, 4, 5, 6];
    const fileB = [0, 0, 10, 20, 30, 40]; // B's sample t is in frame t + 2
    const hea = `sk 2 100 6\nsk.dat 16 1 16 0 0 21 0 I\nsk.dat 16:2 1 16 0 0 0 0 II\n`;
    const r = await readOk(hea, { 'sk.dat': encodeStream(16, interleave(a, fileB)) }, 'sk.hea');
    expect(Array.from(r.record.signalsMv[0])).toEqual(a);
    expect(Array.from(r.record.signalsMv[1])).toEqual([10, 20, 30, 40, NaN, NaN]);
  });

  it('PLETH, ABP and HR are dropped with a note naming them; a record of only those is refused by name', async () => {
    const n = 50;
    const hea = `pa 4 125 ${n}\npa.dat 16 200/mV 16 0 0 0 0 II\npa.dat 16 100/mmHg 16 0 0 0 0 ABP\npa.dat 16 1/NU 16 0 0 0 0 PLETH\npa.dat 16 1/bpm 16 0 0 0 0 HR\n`;
    const dat = encodeStream(16, interleave(sine(n, 10, 100), sine(n, 12, 9000), sine(n, 14, 50), new Array(n).fill(72)));
    const r = await readOk(hea, { 'pa.dat': dat }, 'pa.hea');
    expect(r.record.leadNames).toEqual(['II']);
    expect(r.record.notes).toContain('non-voltage channels dropped: ABP (mmHg), PLETH (NU), HR (bpm)');
    const only = await read(`p 2 125 ${n}\np.dat 16 100/mmHg 16 0 0 0 0 ABP\np.dat 16 1/NU 16 0 0 0 0 PLETH\n`, { 'p.dat': encodeStream(16, new Array(2 * n).fill(1)) }, 'p.hea');
    expect(only.ok).toBe(false);
    if (!only.ok) expect(only.error).toEqual({ file: 'p.hea', message: expect.stringMatching(/no voltage.*ABP \(mmHg\), PLETH \(NU\)/) });
    const d = await discoverDatasets([memFile('pa.hea', hea), memFile('pa.dat', dat)]);
    expect(d.items[0].meta.notes).toMatch(/ABP \(mmHg\), PLETH \(NU\), HR \(bpm\)/);
  });

  it('a MIMIC-style record (II, V, MCL1 in format 80) keeps V and MCL1 under their own names', async () => {
    const n = 1250;
    const sigs = [sine(n, 100, 40), sine(n, 80, 30), sine(n, 60, 20)];
    const hea = `m 3 125 ${n}\n${['II', 'V', 'MCL1'].map((name, j) => `m.dat 80 20/mV 8 0 0 ${sumMod16(sigs[j])} 0 ${name}`).join('\n')}\n`;
    const r = await readOk(hea, { 'm.dat': encodeStream(80, interleave(...sigs)) }, 'm.hea');
    expect(r.record.leadNames).toEqual(['II', 'V', 'MCL1']);
    const p = preprocessEcg(r.record, 'm.hea');
    if (!p.ok) throw new Error(p.error.message);
    expect(p.value.display.leadNames?.slice(12)).toEqual(['V', 'MCL1']);
    expect(p.value.missingLeads).not.toContain('II');
  });
});

/** Builds the files of a variable-layout multi-segment record: layout, a null gap, an ABP-only segment, then II/V/PLETH. */
export function variableLayoutRecord(): InputFile[] {
  const fs = 125;
  const segB = 1250;
  const abp = sine(500, 50, 3000);
  const ii = sine(segB, 100, 150);
  const v = sine(segB, 90, 120);
  const pl = sine(segB, 110, 60);
  const files: Record<string, string | Uint8Array> = {
    'mv.hea': `mv/4 3 ${fs} ${500 + 500 + segB}\nmv_layout 0\n~ 500\nmv_0001 500\nmv_0002 ${segB}\n`,
    'mv_layout.hea': `mv_layout 3 ${fs} 0\n~ 0 100/mV 10 0 0 0 0 II\n~ 0 100/mV 10 0 0 0 0 V\n~ 0 1/NU 10 0 0 0 0 PLETH\n~ 0 1/mmHg 10 0 0 0 0 ABP\n`,
    'mv_0001.hea': `mv_0001 1 ${fs} 500\nmv_0001.dat 80 1/mmHg 8 0 0 0 0 ABP\n`,
    'mv_0001.dat': encodeStream(80, abp.map((x) => Math.round(x / 30))),
    'mv_0002.hea': `mv_0002 3 ${fs} ${segB}\nmv_0002.dat 212 100/mV 12 0 0 ${sumMod16(ii)} 0 II\nmv_0002.dat 212 100/mV 12 0 0 ${sumMod16(v)} 0 V\nmv_0002.dat 212 1/NU 12 0 0 0 0 PLETH\n`,
    'mv_0002.dat': encodeStream(212, interleave(ii, v, pl)),
  };
  return Object.entries(files).map(([n, b]) => memFile(`mv/${n}`, b));
}

describe('multi-segment records', () => {
  it('variable layout with a null segment: reads the first segment with ECG leads and says which', async () => {
    const files = variableLayoutRecord();
    const r = await readWfdbRecord(files[0], files.slice(1));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.record.leadNames).toEqual(['II', 'V']);
    expect(r.value.record.nSamples).toBe(1250);
    expect(r.value.durationS).toBe(2250 / 125);
    expect(r.value.record.notes?.[0]).toBe('read from segment 4 of 4 ("mv_0002", starting at 8 s)');
    expect(r.value.record.signalsMv[0][25]).toBeCloseTo(sine(1250, 100, 150)[25] / 100, 6);
  });

  it('is one item at discovery (segment headers are not records of their own) and loads', async () => {
    const d = await discoverDatasets(variableLayoutRecord());
    expect(d.errors).toEqual([]);
    expect(d.items.map((i) => i.id)).toEqual(['user/mv/mv']);
    const it0 = d.items[0];
    expect(it0.meta.durationS).toBe(18);
    expect(it0.meta.notes).toMatch(/segment 4 of 4.*PLETH \(NU\)/);
    const loaded = await loadItem(it0);
    if (!loaded.ok || loaded.value.modality !== 'ecg') throw new Error('load failed');
    expect(loaded.value.record.leadNames).toEqual(['II', 'V']);
  });

  it('fixed layout: segments with the same signals; a missing segment header is named', async () => {
    const seg = (name: string, n: number) => [
      memFile(`${name}.hea`, `${name} 1 100 ${n}\n${name}.dat 16 100 16 0 0 0 0 I\n`),
      memFile(`${name}.dat`, encodeStream(16, sine(n, 20, 100))),
    ];
    const master = memFile('fx.hea', 'fx/2 1 100 1500\nfx_1 500\nfx_2 1000\n');
    const all = [...seg('fx_1', 500), ...seg('fx_2', 1000)];
    const r = await readWfdbRecord(master, all);
    expect(r.ok && r.value.record.notes?.[0]).toBe('read from segment 2 of 2 ("fx_2", starting at 5 s)');
    const missing = await readWfdbRecord(master, all.slice(0, 2));
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.error.message).toMatch(/fx_2/);
  });
});

/** A huge signal file whose bytes are made on demand; counts what is read and refuses whole reads. */
function syntheticFile(path: string, sizeBytes: number, byteAt: (i: number) => number) {
  const stats = { bytesRead: 0, wholeReads: 0 };
  const f: InputFile = {
    path,
    sizeBytes,
    read: async () => {
      stats.wholeReads++;
      throw new Error('whole read of a long recording');
    },
    readRange: async (a, b) => {
      stats.bytesRead += b - a;
      const out = new Uint8Array(b - a);
      for (let k = 0; k < out.length; k++) out[k] = byteAt(a + k);
      return out;
    },
  };
  return { f, stats };
}

describe('long recordings', () => {
  it('a 24-hour 12-lead record at 500 Hz reads only the first 12 s of bytes', async () => {
    const fs = 500;
    const nFrames = 24 * 3600 * fs;
    const frameBytes = 12 * 2;
    const code = (t: number, lead: number) => ((t * 7 + lead * 1000) % 4000) - 2000;
    const { f, stats } = syntheticFile('holter.dat', nFrames * frameBytes, (i) => {
      const t = Math.floor(i / frameBytes);
      const lead = Math.floor((i % frameBytes) / 2);
      const v = code(t, lead) & 0xffff;
      return i % 2 === 0 ? v & 0xff : v >> 8;
    });
    const names = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'];
    const hea = memFile('holter.hea', `holter 12 ${fs} ${nFrames}\n${names.map((n) => `holter.dat 16 1000 16 0 0 0 0 ${n}`).join('\n')}\n`);
    const r = await readWfdbRecord(hea, [f]);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.record.nSamples).toBe(12 * fs);
    expect(r.value.durationS).toBe(86400);
    expect(stats).toEqual({ bytesRead: 12 * fs * frameBytes, wholeReads: 0 });
    expect(r.value.record.signalsMv[5][1234]).toBeCloseTo(code(1234, 5) / 1000, 6);
    expect(r.value.record.notes).toContain('first 12 s of a 24 h recording');
    // Discovery reads no signal bytes at all and shows the duration.
    const before = stats.bytesRead;
    const d = await discoverDatasets([hea, f]);
    expect(d.items[0].meta.durationS).toBe(86400);
    expect(d.items[0].meta.notes).toMatch(/first 10 s of a 24 h recording/);
    expect(stats.bytesRead).toBe(before);
    const loaded = await loadItem(d.items[0]);
    expect(loaded.ok).toBe(true);
    expect(stats.bytesRead - before).toBe(12 * fs * frameBytes);
  });
});

describe('fuzzing the reader (fixed seed): no throw, no hang, bounded reads', () => {
  const fmtArb = fc.constantFrom('8', '16', '24', '32', '61', '80', '160', '212', '310', '311', '516', '0', '212x4', '16x3:2', '311:5+7', '80+1', '16x64');
  it('random headers over random or huge files', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fmtArb, fc.constantFrom('mV', 'uV', 'NU', 'mmHg', 'V'), fc.constantFrom('a.dat', 'b.dat', '~')), { minLength: 1, maxLength: 5 }),
        fc.constantFrom('', '0', '7', '1000', '99999999999'),
        fc.constantFrom(100, 360, 1000),
        fc.uint8Array({ maxLength: 200 }),
        fc.boolean(),
        async (sigs, nsamp, fs, bytes, huge) => {
          const hea = `r ${sigs.length} ${fs} ${nsamp}\n${sigs.map(([f, u, file], i) => `${file} ${f} 100/${u} 12 0 0 0 0 S${i}`).join('\n')}\n`;
          const mk = (p: string) => (huge ? syntheticFile(p, 2 ** 36, (i) => (i * 31) & 0xff) : { f: memFile(p, bytes), stats: { bytesRead: 0, wholeReads: 0 } });
          const a = mk('a.dat');
          const b = mk('b.dat');
          const r = await readWfdbRecord(memFile('r.hea', hea), [a.f, b.f]);
          expect(typeof r.ok).toBe('boolean');
          if (!r.ok) expect(r.error.file.length).toBeGreaterThan(0);
          // Never more than the window: 12 s x 64 samples per frame x 5 signals x 4 bytes (+ FLAC chunks).
          expect(a.stats.bytesRead + b.stats.bytesRead).toBeLessThanOrEqual(12 * fs * 64 * 5 * 4 + 2 * 256 * 1024 * 2);
          expect(a.stats.wholeReads + b.stats.wholeReads).toBe(0);
        },
      ),
      { seed: 51, numRuns: 60 },
    );
  });

  it('random multi-segment headers and segment lists', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('~', 's1', 's2', 'lay', 'nope'), fc.constantFrom(0, 5, 1000, 2 ** 41)), { minLength: 1, maxLength: 6 }),
        fc.string({ maxLength: 40 }),
        async (segs, noise) => {
          const files = [
            memFile('s1.hea', 's1 1 100 5\ns1.dat 16 1/NU 16 0 0 0 0 P\n'),
            memFile('s1.dat', new Uint8Array(10)),
            memFile('s2.hea', `s2 1 100 1000\ns2.dat 212 200 12 0 0 0 0 II\n${noise}`),
            memFile('s2.dat', new Uint8Array(1500)),
            memFile('lay.hea', 'lay 1 100 0\n~ 0 200 12 0 0 0 0 II\n'),
          ];
          const hea = memFile('m.hea', `m/${segs.length} 1 100\n${segs.map(([n, k]) => `${n} ${k}`).join('\n')}\n`);
          const r = await readWfdbRecord(hea, files);
          expect(typeof r.ok).toBe('boolean');
          const d = await discoverDatasets([hea, ...files]);
          expect(d.items.length + d.errors.length).toBeGreaterThan(0);
        },
      ),
      { seed: 52, numRuns: 60 },
    );
  });
});

describe('the e2e multi-segment fixture (e2e/fixtures/archive/mseg)', () => {
  it('is one item reading the PTB-XL segment, within 1/200 mV of the original record', async () => {
    const { listNodeFiles } = await import('../../../tools/lib/node-files');
    const files = await listNodeFiles(`${HERE}../../../e2e/fixtures/archive/mseg`);
    const d = await discoverDatasets(files);
    expect(d.errors).toEqual([]);
    expect(d.items.map((i) => i.id)).toEqual(['user/mseg/mseg']);
    expect(d.items[0].meta.notes).toMatch(/segment 3 of 3 \("mseg_0001", starting at 2 s\)/);
    const loaded = await loadItem(d.items[0]);
    if (!loaded.ok || loaded.value.modality !== 'ecg') throw new Error('load failed');
    const rec = loaded.value.record;
    expect(rec.leadNames).toHaveLength(12);
    const orig = readFileSync(`${DATA}/ptb-xl/records100/00000/00001_lr.dat`);
    let worst = 0;
    for (let t = 0; t < 1000; t++) for (let j = 0; j < 12; j++) worst = Math.max(worst, Math.abs(rec.signalsMv[j][t] - orig.readInt16LE(24 * t + 2 * j) / 1000));
    expect(worst).toBeLessThanOrEqual(0.0025 + 1e-6);
  });
});

describe('FLAC streams from the flac encoder, made during the test run (Debian package flac)', () => {
  const hasFlac = (() => {
    try {
      execFileSync('flac', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  it.skipIf(!hasFlac)('3 channels, 8/16/24 bits, 100,000 samples (many FLAC frames, several read chunks) decode exactly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wfdb-flac-'));
    try {
      for (const bits of [8, 16, 24]) {
        const n = 100_000;
        const amp = 2 ** (bits - 1) - 2;
        const chans = [0, 1, 2].map((c) => Array.from({ length: n }, (_, t) => Math.round(amp * 0.9 * Math.sin(t / (7 + c)) + ((t * 2654435761 + c) % 17) - 8) + 0));
        const bytesPer = bits / 8;
        const raw = Buffer.alloc(n * 3 * bytesPer);
        for (let t = 0; t < n; t++) for (let c = 0; c < 3; c++) raw.writeIntLE(chans[c][t], (t * 3 + c) * bytesPer, bytesPer);
        writeFileSync(join(dir, 'in.raw'), raw);
        execFileSync('flac', ['-s', '-f', '--force-raw-format', '--endian=little', '--sign=signed', '--channels=3', `--bps=${bits}`, '--sample-rate=1000', '-o', join(dir, 'x.flac'), join(dir, 'in.raw')]);
        const flac = new Uint8Array(readFileSync(join(dir, 'x.flac')));
        expect(flac.length).toBeGreaterThan(2 * 64 * 1024);
        const fmt = 500 + bits;
        const h = parseWfdbHeader(`x 3 1000 ${n}\n${chans.map((ch, c) => `x.flac ${fmt} 1 ${bits} 0 0 ${sumMod16(ch)} 0 C${c}`).join('\n')}\n`, 'x.hea');
        if (!h.ok) throw new Error(h.error.message);
        const r = await decodeWfdb(h.value, new Map([['x.flac', flac]]), 'x.hea');
        if (!r.ok) throw new Error(r.error.message);
        let mismatches = 0;
        chans.forEach((ch, c) => ch.forEach((v, t) => (mismatches += r.value.signalsMv[c][t] === v ? 0 : 1)));
        expect(mismatches).toBe(0);
        expect(r.value.signalsMv[0]).toHaveLength(n);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
