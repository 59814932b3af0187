import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseCsv, parseCsvBytes } from './csv';
import { SHARED_DATA_DIR } from './testing';

const DATA = SHARED_DATA_DIR;

describe('parseCsv', () => {
  it('handles quoted commas, quotes, newlines, BOM and CRLF', () => {
    const text = '\uFEFFa,b,c\r\n1,"x, y","he said ""hi"""\r\n2,"multi\r\nline",\r\n';
    const r = parseCsv(text, 't.csv');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.header).toEqual(['a', 'b', 'c']);
    expect(r.value.rows).toEqual([
      { a: '1', b: 'x, y', c: 'he said "hi"' },
      { a: '2', b: 'multi\r\nline', c: '' },
    ]);
    expect(r.value.rowLines).toEqual([2, 3]);
  });

  it('reports an unterminated quote with its line', () => {
    const r = parseCsv('a,b\n1,2\n3,"oops\n', 'bad.csv');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/line 3/);
  });

  it('rejects a row with too many cells', () => {
    const r = parseCsv('a,b\n1,2,3\n', 'bad.csv');
    expect(r.ok).toBe(false);
  });

  it('reads LUDB ludb.csv (newlines inside quotes): 200 rows', () => {
    const r = parseCsvBytes(readFileSync(`${DATA}/ludb/ludb.csv`), 'ludb.csv');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.rows.length).toBe(200);
    expect(r.value.rows[0].ID).toBe('1');
    expect(r.value.rows[0].Hypertrophies).toContain('Left ventricular hypertrophy');
  });

  it('reads PTB-XL ptbxl_database.csv: 353 rows', () => {
    const r = parseCsvBytes(readFileSync(`${DATA}/ptb-xl/ptbxl_database.csv`), 'ptbxl_database.csv');
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.rows.length).toBe(353);
  });

  it('round-trips random tables (fixed seed)', () => {
    const cell = fc.string({ maxLength: 8 }).map((s) => s.replace(/\r/g, ''));
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 6 }), (rows) => {
        const enc = (s: string) => (/[",\n]/.test(s) || s === '' ? `"${s.replace(/"/g, '""')}"` : s);
        const text = ['a,b,c', ...rows.map((r) => r.map(enc).join(','))].join('\r\n');
        const r = parseCsv(text, 'x.csv');
        expect(r.ok).toBe(true);
        if (r.ok) expect(r.value.rows.map((o) => [o.a, o.b, o.c])).toEqual(rows);
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('never throws on random text (fixed seed)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const r = parseCsv(s, 'x.csv');
        expect(typeof r.ok).toBe('boolean');
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});

describe('filterCsvText', () => {
  it('keeps header and chosen rows byte for byte, multi-line cells included', async () => {
    const { filterCsvText } = await import('./csv');
    const text = 'ID,Note\r\n1,"a\r\nb"\r\n2,plain\r\n3,"x,y"\r\n';
    const r = filterCsvText(text, 't.csv', (row) => row.ID !== '2');
    expect(r.ok && r.value).toBe('ID,Note\r\n1,"a\r\nb"\r\n3,"x,y"\r\n');
  });

  it('filters LUDB rows 1 and 7 and the result parses to those rows', async () => {
    const { filterCsvText } = await import('./csv');
    const text = readFileSync(`${DATA}/ludb/ludb.csv`, 'utf8');
    const r = filterCsvText(text, 'ludb.csv', (row) => row.ID === '1' || row.ID === '7');
    if (!r.ok) throw new Error(r.error.message);
    const back = parseCsv(r.value, 'x');
    const full = parseCsv(text, 'y');
    if (!back.ok || !full.ok) throw new Error('parse');
    expect(back.value.rows).toEqual([full.value.rows[0], full.value.rows[6]]);
  });
});
