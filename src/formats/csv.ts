// RFC 4180 CSV reader for dataset tables (PTB-XL, LUDB, NIH, Kermany...).
// LUDB's ludb.csv has newlines inside quoted cells, so a line-based split is not enough.
import { fail, ok, type Result } from './types';

export const CSV_MAX_BYTES = 64 * 1024 * 1024;

export interface CsvTable {
  header: string[];
  /** One record per data row, keyed by header name (missing trailing cells -> ''). */
  rows: Record<string, string>[];
  /** 1-based line number where each row starts (for error messages). */
  rowLines: number[];
}

/** Splits CSV text into raw rows of cells. Handles BOM, CRLF/LF/CR, quoted fields with commas, quotes and newlines. */
export function parseCsvCells(text: string, file: string): Result<{ cells: string[][]; lines: number[] }> {
  if (text.length > CSV_MAX_BYTES) return fail(file, `file too large (${text.length} chars > ${CSV_MAX_BYTES})`);
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const cells: string[][] = [];
  const lines: number[] = [];
  let line = 1;
  let row: string[] = [];
  let rowLine = 1;
  let field = '';
  let inQuotes = false;
  let quoteStartLine = 0;
  const n = text.length;
  const endRow = () => {
    row.push(field);
    field = '';
    // Skip fully empty lines (e.g. a trailing newline).
    if (!(row.length === 1 && row[0] === '')) {
      cells.push(row);
      lines.push(rowLine);
    }
    row = [];
  };
  while (i < n) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
        i++;
        continue;
      }
      if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
      field += c;
      i++;
      continue;
    }
    if (c === '"') {
      if (field.length > 0) return fail(file, `line ${line}: quote inside an unquoted field`);
      inQuotes = true;
      quoteStartLine = line;
      i++;
      continue;
    }
    if (c === ',') {
      row.push(field);
      field = '';
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      endRow();
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      rowLine = line;
      continue;
    }
    field += c;
    i++;
  }
  if (inQuotes) return fail(file, `line ${quoteStartLine}: unterminated quoted field`);
  if (field.length > 0 || row.length > 0) endRow();
  return ok({ cells, lines });
}

/** Parses a CSV with a header row into records keyed by header. Rows with MORE cells than the header are errors. */
export function parseCsv(text: string, file: string): Result<CsvTable> {
  const r = parseCsvCells(text, file);
  if (!r.ok) return r;
  const { cells, lines } = r.value;
  if (cells.length === 0) return fail(file, 'line 1: empty file, no header');
  const header = cells[0].map((h) => h.trim());
  const rows: Record<string, string>[] = [];
  const rowLines: number[] = [];
  for (let k = 1; k < cells.length; k++) {
    const cs = cells[k];
    if (cs.length > header.length) {
      return fail(file, `line ${lines[k]}: ${cs.length} cells but the header has ${header.length}`);
    }
    const rec: Record<string, string> = {};
    header.forEach((h, j) => (rec[h] = cs[j] ?? ''));
    rows.push(rec);
    rowLines.push(lines[k]);
  }
  return ok({ header, rows, rowLines });
}

/** Decodes UTF-8 bytes (with or without BOM) and parses them as CSV. */
export function parseCsvBytes(bytes: Uint8Array, file: string): Result<CsvTable> {
  if (bytes.length > CSV_MAX_BYTES) return fail(file, `file too large (${bytes.length} bytes > ${CSV_MAX_BYTES})`);
  return parseCsv(new TextDecoder('utf-8').decode(bytes), file);
}

/**
 * Keeps the header and the data rows for which `keep(row)` is true, copying each kept row's original
 * text byte for byte (quoted newlines included). Used to ship subsets of dataset tables unchanged.
 */
export function filterCsvText(text: string, file: string, keep: (row: Record<string, string>) => boolean): Result<string> {
  const t = parseCsv(text, file);
  if (!t.ok) return t;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split(/(?<=\n)/);
  const starts = t.value.rowLines;
  const out: string[] = [lines.slice(0, (starts[0] ?? lines.length + 1) - 1).join('')];
  t.value.rows.forEach((row, k) => {
    if (!keep(row)) return;
    const end = k + 1 < starts.length ? starts[k + 1] - 1 : lines.length;
    out.push(lines.slice(starts[k] - 1, end).join(''));
  });
  const joined = out.join('');
  return ok(text.charCodeAt(0) === 0xfeff ? `\uFEFF${joined}` : joined);
}
