import { describe, expect, it } from 'vitest';
import { parseCsvCells } from '../../formats/csv';
import { metadataTsv, toCsv, vectorsTsv } from './text-formats';

describe('vectorsTsv', () => {
  it('writes one row per point with d tab-separated values that parse back to the float32 values', () => {
    const v = Float32Array.from([0.1, -0.25, 3, 1e-7, 0, 0.333333343]);
    const tsv = vectorsTsv(v, 2, 3);
    const rows = tsv.trimEnd().split('\n').map((l) => l.split('\t').map(Number));
    expect(rows.length).toBe(2);
    expect(rows.every((r) => r.length === 3)).toBe(true);
    expect(Float32Array.from(rows.flat())).toEqual(v);
  });
  it('rejects a wrong size', () => {
    expect(() => vectorsTsv(new Float32Array(5), 2, 3)).toThrow(/n\*d/);
  });
});

describe('metadataTsv', () => {
  it('has no header for one column and a header for several; tabs and newlines cannot break rows', () => {
    expect(metadataTsv(['label'], [['a'], ['b\tc']])).toBe('a\nb c\n');
    const t = metadataTsv(['id', 'text'], [['x/1', 'line one\nline two'], ['x/2', 'ok']]);
    expect(t.split('\n')).toEqual(['id\ttext', 'x/1\tline one line two', 'x/2\tok', '']);
  });
});

describe('toCsv', () => {
  it('round-trips quotes, commas and newlines through a CSV parser', () => {
    const rows = [['a,b', 'say "hi"'], ['line\nbreak', 'plain']];
    const csv = toCsv(['c1', 'c2'], rows);
    const parsed = parseCsvCells(csv, 'sel.csv');
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.value.cells).toEqual([['c1', 'c2'], ...rows]);
  });
});
