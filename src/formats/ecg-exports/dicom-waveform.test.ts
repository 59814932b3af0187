import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { dicomDigital, writeDicomEcg, type DicomWaveformOptions } from '../../../tools/lib/ecg-writers';
import { loadPtbxlRecord, type PtbxlSource } from '../../../tools/lib/ptbxl-source';
import { SHARED_DATA_DIR } from '../testing';
import { dicomWaveformKind, parseDicomWaveform } from './dicom-waveform';

const PTBXL = join(SHARED_DATA_DIR, 'ptb-xl');
const FIXTURE = new URL('../../../e2e/fixtures/archive/ecg-ptbxl-00045.dcm', import.meta.url).pathname;
let src45: PtbxlSource;
let src32: PtbxlSource;

beforeAll(async () => {
  src45 = await loadPtbxlRecord(PTBXL, 45);
  src32 = await loadPtbxlRecord(PTBXL, 32);
});

/** Largest |decoded - source| over all leads and samples, in mV. */
function maxError(src: PtbxlSource, leads: string[], signals: Float32Array[]): number {
  let worst = 0;
  src.leads.forEach((l) => {
    const k = leads.indexOf(l.name);
    expect(k, `lead ${l.name}`).toBeGreaterThanOrEqual(0);
    for (let t = 0; t < src.nSamples; t++) worst = Math.max(worst, Math.abs(signals[k][t] - l.mv[t]));
  });
  return worst;
}

describe('DICOM 12-lead ECG waveform', () => {
  it('reads the committed fixture (PTB-XL 45 at 2.5 uV per digit): leads, rate, values within half a step, statements', () => {
    const r = parseDicomWaveform(new Uint8Array(readFileSync(FIXTURE)), 'ecg.dcm');
    if (!r.ok) throw new Error(r.error.message);
    const { record, statements, notes, meta } = r.value;
    expect(record.leadNames).toEqual(['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
    expect(record.fsHz).toBe(500);
    expect(record.nSamples).toBe(5000);
    expect(maxError(src45, record.leadNames, record.signalsMv)).toBeLessThanOrEqual(0.00125 + 1e-6);
    // The fixture's first group is a MEDIAN beat; the rhythm group is the one read.
    expect(notes.join(' ')).toMatch(/group 2 of 2 \(RHYTHM\)/);
    expect(statements).toEqual(src45.statements);
    expect(statements).toContain('right ventricular hypertrophy');
    expect(statements).not.toContain('QRS duration'); // a measurement, not a statement
    expect(meta).toMatchObject({ sopClass: '12-lead ECG Waveform Storage', sex: 'male', age: 51 });
  });

  const variants: [string, DicomWaveformOptions, number][] = [
    ['big endian, mV units, correction factor and baseline', { bigEndian: true, units: 'mV', sensitivity: 0.001, correction: 2, baseline: 0.05 }, 0.002],
    ['8-bit signed samples at 40 uV', { bits: 8, sensitivity: 40 }, 0.04],
  ];
  for (const [name, opts, step] of variants) {
    it(`${name}: values within half a quantisation step`, () => {
      // 8-bit samples clip at +-127 steps (5.08 mV at 40 uV): compare on a record that stays inside.
      const r = parseDicomWaveform(writeDicomEcg(src32, opts), 'x.dcm');
      if (!r.ok) throw new Error(r.error.message);
      const clipped = src32.leads.some((l) => l.mv.some((v) => Math.abs(dicomDigital(v, opts)) >= (opts.bits === 8 ? 127 : 32767)));
      expect(clipped).toBe(false);
      expect(maxError(src32, r.value.record.leadNames, r.value.record.signalsMv)).toBeLessThanOrEqual(step / 2 + 1e-6);
    });
  }

  it('coded statements (Concept Code Sequence) are the text; measurements and beat annotations are not', () => {
    const r = parseDicomWaveform(writeDicomEcg(src45, { coded: true }), 'x.dcm');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.statements).toEqual(src45.statements);
  });

  it("8-bit mu-law / A-law (MB / AB) expand like Python's audioop G.711 codec (when python3 has audioop)", () => {
    const n = 1000;
    const leads = src32.leads.slice(0, 3);
    // 16-bit linear at 0.125 uV per unit, as a device would feed its G.711 encoder.
    const linear = leads.map((l) => Int16Array.from(l.mv.subarray(0, n), (v) => Math.max(-32768, Math.min(32767, Math.round(v * 8000)))));
    for (const [interp, enc, dec] of [['MB', 'lin2ulaw', 'ulaw2lin'], ['AB', 'lin2alaw', 'alaw2lin']] as const) {
      const script = `import sys, audioop\nd = sys.stdin.buffer.read()\ne = audioop.${enc}(d, 2)\nsys.stdout.buffer.write(e + audioop.${dec}(e, 2))`;
      const coded: Uint8Array[] = [];
      const reference: Int16Array[] = [];
      for (const lin of linear) {
        let out: Buffer;
        try {
          out = execFileSync('python3', ['-c', script], { input: Buffer.from(lin.buffer), stdio: ['pipe', 'pipe', 'pipe'] });
        } catch {
          return; // no python3 or no audioop (removed in Python 3.13)
        }
        coded.push(new Uint8Array(out.subarray(0, n)));
        reference.push(new Int16Array(out.buffer.slice(out.byteOffset + n, out.byteOffset + 3 * n)));
      }
      const rec = { ...src32, leads: leads.map((l) => ({ ...l, mv: l.mv.subarray(0, n) })) };
      const r = parseDicomWaveform(writeDicomEcg(rec, { companded: { interpretation: interp, bytes: coded }, sensitivity: 0.125 }), 'g711.dcm');
      if (!r.ok) throw new Error(r.error.message);
      reference.forEach((ref, k) => {
        for (let t = 0; t < n; t++) expect(r.value.record.signalsMv[k][t]).toBeCloseTo((ref[t] * 0.125) / 1000, 6);
      });
    }
  });

  it('drops a channel that is not a voltage and names it', () => {
    const resp = new Int16Array(src32.nSamples).map((_, t) => Math.round(100 * Math.sin(t / 100)));
    const r = parseDicomWaveform(writeDicomEcg(src32, { extraChannels: [{ label: 'Respiration', units: '%', values: resp }] }), 'x.dcm');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.record.leadNames).toHaveLength(12);
    expect(r.value.notes.join(' ')).toContain('Respiration (%)');
  });

  it('tells waveforms from images by SOP class', () => {
    expect(dicomWaveformKind(new Uint8Array(readFileSync(FIXTURE)))).toEqual({ isWaveform: true, sopClass: '1.2.840.10008.5.1.4.1.1.9.1.1' });
    const cxr = new URL('../../../e2e/fixtures/archive/cxr-j2k.dcm', import.meta.url).pathname;
    expect(dicomWaveformKind(new Uint8Array(readFileSync(cxr)))?.isWaveform).toBe(false);
    // A truncated ECG is still known as one from its meta group, so its error comes from the ECG reader.
    const cut = new Uint8Array(readFileSync(FIXTURE)).subarray(0, 60_000);
    expect(dicomWaveformKind(cut)?.isWaveform).toBe(true);
    const r = parseDicomWaveform(cut, 'cut.dcm');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ file: 'cut.dcm', message: expect.stringMatching(/truncated/) });
  });

  it('names bad input: no waveform, not DICOM', () => {
    const noWave = parseDicomWaveform(new Uint8Array(readFileSync(new URL('../../../e2e/fixtures/archive/cxr-lossless-sv1.dcm', import.meta.url).pathname)), 'img.dcm');
    expect(noWave.ok).toBe(false);
    if (!noWave.ok) expect(noWave.error.message).toMatch(/no Waveform Sequence \(5400,0100\)/);
    const junk = parseDicomWaveform(new Uint8Array(300), 'junk.dcm');
    expect(junk.ok).toBe(false);
    if (!junk.ok) expect(junk.error.file).toBe('junk.dcm');
  });

  it('dcmtk reads the written file as a 12-lead ECG (when dcmdump is installed)', () => {
    let dump: string;
    const dir = mkdtempSync(join(tmpdir(), 'ecgdcm-'));
    const f = join(dir, 'x.dcm');
    writeFileSync(f, writeDicomEcg(src32, { bigEndian: true }));
    try {
      dump = execFileSync('dcmdump', ['-q', '+L', f], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    expect(dump).toContain('TwelveLeadECGWaveformStorage');
    expect(dump).toContain('BigEndianExplicit');
    expect(dump).toMatch(/NumberOfWaveformSamples\s*$/m);
  });

  it('dcmtk re-encodings of the fixture (implicit VR, explicit LE/BE, deflated) read to the same values', () => {
    const ref = parseDicomWaveform(new Uint8Array(readFileSync(FIXTURE)), 'ref.dcm');
    if (!ref.ok) throw new Error(ref.error.message);
    const dir = mkdtempSync(join(tmpdir(), 'dcmconv-'));
    for (const opt of ['+ti', '+te', '+tb', '+td']) {
      const out = join(dir, `x${opt}.dcm`);
      try {
        execFileSync('dcmconv', [opt, FIXTURE, out], { stdio: 'pipe' });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw e;
      }
      const r = parseDicomWaveform(new Uint8Array(readFileSync(out)), out);
      if (!r.ok) throw new Error(`${opt}: ${r.error.message}`);
      expect(r.value.record.leadNames, opt).toEqual(ref.value.record.leadNames);
      expect(r.value.statements, opt).toEqual(ref.value.statements);
      r.value.record.signalsMv.forEach((sig, k) => expect(sig, `${opt} lead ${k}`).toEqual(ref.value.record.signalsMv[k]));
    }
  });

  it('fuzzing (fixed seed): corrupted bytes never throw and never hang', () => {
    const good = writeDicomEcg({ ...src32, leads: src32.leads.map((l) => ({ ...l, mv: l.mv.subarray(0, 200) })) });
    fc.assert(
      fc.property(fc.nat(good.length - 1), fc.uint8Array({ minLength: 1, maxLength: 16 }), fc.nat(good.length), (pos, noise, cut) => {
        const b = good.slice(0, Math.max(132, cut));
        b.set(noise.subarray(0, Math.max(0, b.length - pos)), Math.min(pos, b.length));
        const r = parseDicomWaveform(b, 'f.dcm');
        if (!r.ok) expect(r.error.file).toBe('f.dcm');
        dicomWaveformKind(b);
      }),
      { seed: 9, numRuns: 300 },
    );
  });
});
