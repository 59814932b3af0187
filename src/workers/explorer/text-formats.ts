// Text exports of the explorer: vectors.tsv + metadata.tsv as the TensorFlow Embedding Projector loads
// them (one row per point, same order), and a CSV of a selection (RFC 4180 quoting).

/** vectors.tsv: one row per point, d tab-separated numbers, no header. */
export function vectorsTsv(vectors: Float32Array, n: number, d: number): string {
  if (vectors.length !== n * d) throw new Error(`vectorsTsv: ${vectors.length} values, expected n*d = ${n * d}`);
  const lines: string[] = new Array(n);
  const row: string[] = new Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = formatNumber(vectors[i * d + j]);
    lines[i] = row.join('\t');
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

/** Shortest round-trip text for a float32 value. */
function formatNumber(v: number): string {
  return Number.isFinite(v) ? String(Math.fround(v) === v ? Number(v.toPrecision(9)) : v) : '0';
}

/** A TSV cell: tabs and line breaks would split rows or columns, so they become spaces. */
const tsvCell = (v: string): string => v.replace(/[\t\r\n]+/g, ' ');

/**
 * metadata.tsv: with one column the Projector expects no header; with several, a header row first.
 * rows[i][c] is column c of point i.
 */
export function metadataTsv(columns: readonly string[], rows: readonly (readonly string[])[]): string {
  const body = rows.map((r) => r.map(tsvCell).join('\t'));
  const lines = columns.length > 1 ? [columns.map(tsvCell).join('\t'), ...body] : body;
  return lines.length ? lines.join('\n') + '\n' : '';
}

const csvCell = (v: string): string => (/[",\r\n]/.test(v) || /^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** CSV with a header row; cells are quoted when needed. */
export function toCsv(columns: readonly string[], rows: readonly (readonly string[])[]): string {
  return [columns, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
