import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeAecg } from '../../../tools/lib/ecg-writers';
import { loadPtbxlRecord, type PtbxlSource } from '../../../tools/lib/ptbxl-source';
import { SHARED_DATA_DIR } from '../testing';
import { parseAecg } from './aecg';

const FIXTURE = new URL('../../../e2e/fixtures/archive/ecg-ptbxl-00050.xml', import.meta.url).pathname;
const enc = (s: string) => new TextEncoder().encode(s);
let src50: PtbxlSource;
let src32: PtbxlSource;

beforeAll(async () => {
  src50 = await loadPtbxlRecord(join(SHARED_DATA_DIR, 'ptb-xl'), 50);
  src32 = await loadPtbxlRecord(join(SHARED_DATA_DIR, 'ptb-xl'), 32);
});

function maxError(src: PtbxlSource, leads: string[], signals: Float32Array[]): number {
  let worst = 0;
  for (const l of src.leads) {
    const k = leads.indexOf(l.name);
    expect(k, `lead ${l.name}`).toBeGreaterThanOrEqual(0);
    for (let t = 0; t < src.nSamples; t++) worst = Math.max(worst, Math.abs(signals[k][t] - l.mv[t]));
  }
  return worst;
}

describe('HL7 aECG', () => {
  it('reads the committed fixture (PTB-XL 50, 4.88 uV per digit): rhythm series, not the median beat', () => {
    const r = parseAecg(new Uint8Array(readFileSync(FIXTURE)), 'ecg.xml');
    if (!r.ok) throw new Error(r.error.message);
    const { record, statements } = r.value;
    expect(record.leadNames).toEqual(['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
    expect(record.fsHz).toBeCloseTo(500, 9);
    expect(record.nSamples).toBe(5000);
    expect(maxError(src50, record.leadNames, record.signalsMv)).toBeLessThanOrEqual(0.00244 + 1e-6);
    expect(statements).toEqual(src50.statements);
    expect(statements).toContain('lateral myocardial infarction');
  });

  it("reads the FDA's public minimum aECG example (FDA/aecg-python): one lead II sequence at 500 Hz", () => {
    const r = parseAecg(new Uint8Array(readFileSync(new URL('./fixtures/fda-minimum_aecg.xml', import.meta.url).pathname)), 'min.xml');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.record.leadNames).toEqual(['II']);
    expect(r.value.record.fsHz).toBeCloseTo(500, 9);
    const digits = [-2, -2, -2, -2, -3, -4, -3, -5, -5, -4, -6, -9, -9];
    expect(Array.from(r.value.record.signalsMv[0])).toEqual(digits.map((d) => Math.fround(d * 0.0025)));
    expect(r.value.statements).toEqual([]);
  });

  it('origin and scale in uV, a non-standard lead kept under its own name, escaped text', () => {
    const rec = { ...src32, leads: [...src32.leads.slice(0, 2), { name: 'V7', mv: src32.leads[11].mv }], statements: ['ST elevation <1 mm> & T inversion'] };
    const r = parseAecg(enc(writeAecg(rec, { scaleUv: 2.5, originUv: 100 })), 'x.xml');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.record.leadNames).toEqual(['I', 'II', 'V7']);
    expect(r.value.statements).toEqual(['ST elevation <1 mm> & T inversion']);
    for (let t = 0; t < 500; t++) expect(Math.abs(r.value.record.signalsMv[2][t] - src32.leads[11].mv[t])).toBeLessThanOrEqual(0.00125 + 1e-6);
  });

  it('names bad input', () => {
    const cases: [string, RegExp][] = [
      ['<root/>', /not an HL7 aECG file/],
      ['<AnnotatedECG xmlns="urn:hl7-org:v3"><component>', /end of file inside <component>/],
      ['<AnnotatedECG xmlns="urn:hl7-org:v3"></AnnotatedECG>', /no <series>/],
      ['<!DOCTYPE x [<!ENTITY a "b">]><AnnotatedECG xmlns="urn:hl7-org:v3"/>', /DOCTYPE/],
      ['<AnnotatedECG xmlns="urn:hl7-org:v3"><text>&xxe;</text></AnnotatedECG>', /entity &xxe; is not defined/],
    ];
    for (const [xml, re] of cases) {
      const r = parseAecg(enc(xml), 'bad.xml');
      expect(r.ok, xml).toBe(false);
      if (!r.ok) expect(r.error).toMatchObject({ file: 'bad.xml', message: expect.stringMatching(re) });
    }
    const full = readFileSync(FIXTURE, 'utf8');
    const cut = parseAecg(enc(full.slice(0, Math.floor(full.length / 2))), 'cut.xml');
    expect(cut.ok).toBe(false);
    if (!cut.ok) expect(cut.error.message).toMatch(/truncated/);
    const noTime = parseAecg(enc(full.replace(/<increment[^>]*>/g, '')), 'x.xml');
    expect(noTime.ok).toBe(false);
    if (!noTime.ok) expect(noTime.error.message).toMatch(/bad time increment|sampling rate unknown/);
  });

  it('fuzzing (fixed seed): edits to a small document never throw and never hang', () => {
    const small = writeAecg({ ...src32, leads: src32.leads.slice(0, 3).map((l) => ({ ...l, mv: l.mv.subarray(0, 40) })) });
    fc.assert(
      fc.property(fc.nat(small.length - 1), fc.nat(40), fc.string({ maxLength: 12 }), (pos, del, ins) => {
        const xml = small.slice(0, pos) + ins + small.slice(pos + del);
        const r = parseAecg(enc(xml), 'f.xml');
        if (!r.ok) expect(r.error.file).toBe('f.xml');
      }),
      { seed: 11, numRuns: 400 },
    );
  });
});
