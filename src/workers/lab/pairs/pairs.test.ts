import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { matchPairingCsv, PAIRING_MAX_BYTES } from './match-csv';
import { matchByRule, parseStudyTime } from './match-rule';
import { pairGroups, splitPairs } from './split';
import type { MatchedPair, PairableItem } from './types';

const enc = (s: string) => new TextEncoder().encode(s);
const cxr = (id: string, meta: Record<string, string | number> = {}, patientKey?: string): PairableItem => ({ id, modality: 'cxr', sourceName: `${id.split('/').pop()}.png`, meta, patientKey });
const ecg = (id: string, meta: Record<string, string | number> = {}, patientKey?: string): PairableItem => ({ id, modality: 'ecg', sourceName: `${id.split('/').pop()}_lr.hea`, meta, patientKey });

const library: PairableItem[] = [
  cxr('kermany/images/test/NORMAL/IM-1', { dicom_id: 'd1' }),
  cxr('kermany/images/test/NORMAL/IM-2', { dicom_id: 'd2' }),
  cxr('nih/a', { dicom_id: 'dup' }),
  cxr('nih/b', { dicom_id: 'dup' }),
  ecg('ptb-xl/145', { ecgId: 145 }),
  ecg('ptb-xl/146', { ecgId: 146 }),
  ecg('ludb/7'),
];

describe('matchPairingCsv', () => {
  it('matches by item id, by file path (any leading folders, extension optional) and by metadata key', () => {
    const r = matchPairingCsv('p.csv', enc('cxr_id,ecg_id\nkermany/images/test/NORMAL/IM-1,ptb-xl/145\n/data/kermany/images/test/NORMAL/IM-2.png,ludb/7\n'), library);
    if (!r.ok) throw new Error(r.error);
    expect(r.report.pairs).toEqual([
      { cxrId: 'kermany/images/test/NORMAL/IM-1', ecgId: 'ptb-xl/145', line: 2 },
      { cxrId: 'kermany/images/test/NORMAL/IM-2', ecgId: 'ludb/7', line: 3 },
    ]);
    const m = matchPairingCsv('m.csv', enc('cxr:dicom_id,ecg:ecgId\nd2,146\n'), library);
    if (!m.ok) throw new Error(m.error);
    expect(m.report.pairs).toEqual([{ cxrId: 'kermany/images/test/NORMAL/IM-2', ecgId: 'ptb-xl/146', line: 2 }]);
    expect(m.report.columns).toEqual(['cxr:dicom_id: metadata "dicom_id"', 'ecg:ecgId: metadata "ecgId"']);
    const f = matchPairingCsv('f.csv', enc('cxr_path,ecg_path\nIM-1.png,146_lr.hea\n'), library);
    expect(f.ok && f.report.pairs).toEqual([{ cxrId: 'kermany/images/test/NORMAL/IM-1', ecgId: 'ptb-xl/146', line: 2 }]);
  });

  it('reports every row that does not match, with its line and why, and keeps the rest', () => {
    const text = [
      'cxr_id,ecg_id,category',
      'kermany/images/test/NORMAL/IM-1,ptb-xl/145,normal',
      'kermany/images/test/NORMAL/IM-404,ptb-xl/145,normal',
      ',ptb-xl/146,',
      'ptb-xl/146,ludb/7,',
      'kermany/images/test/NORMAL/IM-1,ptb-xl/145,again',
      '"kermany/images/test/NORMAL/IM-2",ptb-xl/999,',
    ].join('\n');
    const r = matchPairingCsv('p.csv', enc(text), library);
    if (!r.ok) throw new Error(r.error);
    expect(r.report.rows).toBe(6);
    expect(r.report.pairs).toHaveLength(1);
    expect(r.report.unmatchedCount).toBe(5);
    expect(r.report.unmatched).toEqual([
      { line: 3, reason: 'CXR "kermany/images/test/NORMAL/IM-404" is not in the library' },
      { line: 4, reason: 'empty CXR cell (cxr_id)' },
      { line: 5, reason: '"ptb-xl/146" in the CXR column is an ECG item' },
      { line: 6, reason: 'the same pair as line 2' },
      { line: 7, reason: 'ECG "ptb-xl/999" is not in the library' },
    ]);
    const amb = matchPairingCsv('a.csv', enc('cxr:dicom_id,ecg_id\ndup,ludb/7\n'), library);
    expect(amb.ok && amb.report.unmatched[0].reason).toMatch(/matches 2 library items \(nih\/a, nih\/b\)/);
  });

  it('refuses a file without the columns or over the size limit, naming the file', () => {
    const r = matchPairingCsv('bad.csv', enc('a,b\n1,2\n'), library);
    expect(r.ok || r.error).toMatch(/^bad\.csv: line 1: needs a CXR column .* found a, b/);
    const big = matchPairingCsv('big.csv', new Uint8Array(PAIRING_MAX_BYTES + 1), library);
    expect(big.ok || big.error).toMatch(/^big\.csv: .* more than/);
  });

  test.prop([fc.uint8Array({ maxLength: 300 })], { seed: 71 })('never throws on arbitrary bytes', (bytes) => {
    const r = matchPairingCsv('fuzz.csv', bytes, library);
    if (r.ok) expect(r.report.pairs.length + r.report.unmatched.length).toBeLessThanOrEqual(r.report.rows + 1);
    else expect(r.error).toMatch(/^fuzz\.csv/);
  });
});

describe('pair by metadata', () => {
  it('reads ISO, DICOM and hour values', () => {
    expect(parseStudyTime('2180-07-23 15:14:00') - parseStudyTime('2180-07-23')).toBe((15 * 60 + 14) * 60_000);
    expect(parseStudyTime('21800723 151400')).toBe(parseStudyTime('2180-07-23T15:14:00'));
    expect(parseStudyTime('21801323')).toBeNaN();
    expect(parseStudyTime(5) - parseStudyTime('2')).toBe(3 * 3_600_000);
    expect(parseStudyTime('yesterday')).toBeNaN();
  });

  it('pairs each CXR with the same patient\'s nearest ECG within N hours and says why the others did not pair', () => {
    const items: PairableItem[] = [
      cxr('c/1', { subject_id: '10', t: '2180-01-01 08:00' }),
      cxr('c/2', { subject_id: '10', t: '2180-01-05 08:00' }),
      cxr('c/3', { subject_id: '11', t: '2180-01-01 08:00' }),
      cxr('c/4', { t: '2180-01-01 08:00' }),
      cxr('c/5', { subject_id: '10', t: 'soon' }),
      ecg('e/1', { subject_id: '10', t: '2180-01-01 20:00' }),
      ecg('e/2', { subject_id: '10', t: '2180-01-01 09:00' }),
      ecg('e/3', { subject_id: '12', t: '2180-01-01 08:00' }),
    ];
    const r = matchByRule(items, { patient: { cxr: 'subject_id', ecg: 'subject_id' }, time: { cxr: 't', ecg: 't' }, maxHours: 24 });
    expect(r.pairs).toEqual([{ cxrId: 'c/1', ecgId: 'e/2', line: 0 }]);
    expect(r.unmatched.map((u) => u.reason)).toEqual([
      'c/2: the nearest ECG of patient 10 is 84.0 h away (limit 24 h)',
      'c/3: no ECG of patient 11',
      'c/4: no subject_id',
      'c/5: t "soon" is not a date/time',
    ]);
    expect(r.source).toBe('same subject_id, t within 24 h');
    expect(r).toMatchObject({ kind: 'rule', rows: 5, unmatchedCount: 4 });
  });
});

describe('patient-disjoint pair split', () => {
  test.prop(
    [fc.array(fc.tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 })), { minLength: 2, maxLength: 60 }), fc.integer()],
    { seed: 2024 },
  )('a patient (of the CXR or of the ECG) and an item are never on both sides', (rows, seed) => {
    // CXR i belongs to patient "P<i % 6>" or its own; ECG j to patient "Q<j>"; real pairs would share one.
    const items = new Map<string, PairableItem>();
    const pairs: MatchedPair[] = rows.map(([c, e, pc, pe]) => {
      const cid = `c/${c}`;
      const eid = `e/${e}`;
      if (!items.has(cid)) items.set(cid, cxr(cid, {}, `P${(c + pc) % 6}`));
      if (!items.has(eid)) items.set(eid, ecg(eid, {}, pe === 0 ? undefined : `Q${e % 4}`));
      return { cxrId: cid, ecgId: eid, line: 0 };
    });
    const isVal = splitPairs(pairs, items, 0.3, seed);
    const side = new Map<string, boolean>();
    pairs.forEach((p, i) => {
      for (const key of [p.cxrId, p.ecgId, items.get(p.cxrId)!.patientKey!, items.get(p.ecgId)!.patientKey ?? p.ecgId]) {
        if (side.has(key)) expect(isVal[i]).toBe(side.get(key));
        side.set(key, isVal[i]);
      }
    });
    if (new Set(pairGroups(pairs, items)).size >= 2) expect(new Set(isVal).size).toBe(2);
  });
});
