// Reads a user's pairing CSV and matches each row to library items. A CXR or ECG cell can be an item id
// ("ptb-xl/145"), a file path ("records100/00000/00145_lr.hea", any leading folders, extension optional)
// or, with a "cxr:<key>" / "ecg:<key>" header, a metadata value (e.g. "ecg:ecgId"). Every row that does
// not give exactly one CXR and one ECG is reported with its line and the reason; the others still match.
import { parseCsvBytes } from '../../../formats/csv';
import type { Modality } from '../../../formats/types';
import { PAIRING_MAX_BYTES, type MatchedPair, type MatchReport, type PairableItem, type UnmatchedRow } from './types';

export { PAIRING_MAX_BYTES };
const MAX_REPORTED_ROWS = 1000;

const ID_COLUMNS: Record<Modality, string[]> = {
  cxr: ['cxr_id', 'cxr', 'cxr_path', 'cxr_file', 'image', 'image_id', 'image_path'],
  ecg: ['ecg_id', 'ecg', 'ecg_path', 'ecg_file', 'record', 'record_id', 'record_path'],
};

type ColumnRule = { header: string; metaKey: string | null };

function findColumn(header: string[], modality: Modality): ColumnRule | null {
  const lower = header.map((h) => h.trim().toLowerCase());
  const meta = lower.findIndex((h) => h.startsWith(`${modality}:`));
  if (meta >= 0) return { header: header[meta], metaKey: header[meta].trim().slice(modality.length + 1).trim() };
  for (const name of ID_COLUMNS[modality]) {
    const i = lower.indexOf(name);
    if (i >= 0) return { header: header[i], metaKey: null };
  }
  return null;
}

const stripExt = (s: string) => s.replace(/\.(hea|dat|mat|png|jpe?g|dcm|dicom)$/i, '');
const normPath = (s: string) => stripExt(s.trim().replace(/\\/g, '/').replace(/^\.?\/+/, ''));
const norm = (s: string) => s.trim().toLowerCase();

/** Lookup tables of one modality's items: by id, by every '/'-suffix of the id, by file name, by meta. */
class ItemIndex {
  private readonly byId = new Map<string, PairableItem>();
  private readonly bySuffix = new Map<string, PairableItem[]>();
  private readonly byFile = new Map<string, PairableItem[]>();
  private readonly byMeta = new Map<string, Map<string, PairableItem[]>>();
  constructor(private readonly items: readonly PairableItem[]) {
    const push = (m: Map<string, PairableItem[]>, k: string, it: PairableItem) => {
      const l = m.get(k);
      if (!l) m.set(k, [it]);
      else if (!l.includes(it)) l.push(it);
    };
    for (const it of items) {
      this.byId.set(it.id, it);
      const parts = it.id.split('/');
      for (let s = 0; s < parts.length; s++) push(this.bySuffix, parts.slice(s).join('/'), it);
      push(this.byFile, norm(stripExt(it.sourceName)), it);
    }
  }

  private metaTable(key: string): Map<string, PairableItem[]> {
    let t = this.byMeta.get(key);
    if (!t) {
      t = new Map();
      for (const it of this.items) {
        const v = key === 'patientKey' ? it.patientKey : it.meta[key];
        if (v === undefined || v === '') continue;
        const k = norm(String(v));
        const l = t.get(k);
        if (l) l.push(it);
        else t.set(k, [it]);
      }
      this.byMeta.set(key, t);
    }
    return t;
  }

  /** Items a cell refers to (empty: none; several: ambiguous). */
  lookup(cell: string, metaKey: string | null): PairableItem[] {
    if (metaKey) return this.metaTable(metaKey).get(norm(cell)) ?? [];
    const exact = this.byId.get(cell.trim());
    if (exact) return [exact];
    const p = normPath(cell);
    const parts = p.split('/');
    // The longest trailing part of the path that names items: "data/ptb-xl/x/y" finds "ptb-xl/x/y". A path
    // of several parts must match on two parts at least ("toy-cxr/2" never matches "toy-ecg/2").
    const minParts = parts.length > 1 ? 2 : 1;
    for (let s = 0; s <= parts.length - minParts; s++) {
      const hit = this.bySuffix.get(parts.slice(s).join('/'));
      if (hit) return hit;
    }
    // A file path ("records100/00000/00145_lr.hea") finds the item by its file name.
    if (/\.[A-Za-z0-9]{2,5}$/.test(cell.trim())) return this.byFile.get(norm(parts[parts.length - 1])) ?? [];
    return [];
  }
}

/**
 * Matches a pairing CSV against the library. `bytes` is the file as read; sizes are checked first.
 * Returns an error string (naming the file) when the file itself cannot be used.
 */
export function matchPairingCsv(file: string, bytes: Uint8Array, items: readonly PairableItem[]): { ok: true; report: MatchReport } | { ok: false; error: string } {
  if (bytes.length > PAIRING_MAX_BYTES) return { ok: false, error: `${file}: ${bytes.length} bytes, more than the ${PAIRING_MAX_BYTES} a pairing file may have` };
  const t = parseCsvBytes(bytes, file);
  if (!t.ok) return { ok: false, error: `${t.error.file}: ${t.error.message}` };
  const cxrCol = findColumn(t.value.header, 'cxr');
  const ecgCol = findColumn(t.value.header, 'ecg');
  if (!cxrCol || !ecgCol) {
    return { ok: false, error: `${file}: line 1: needs a CXR column (${ID_COLUMNS.cxr.slice(0, 3).join(', ')} or cxr:<metadata key>) and an ECG column (${ID_COLUMNS.ecg.slice(0, 3).join(', ')} or ecg:<metadata key>); found ${t.value.header.join(', ') || 'no header'}` };
  }
  const index: Record<Modality, ItemIndex> = {
    cxr: new ItemIndex(items.filter((it) => it.modality === 'cxr')),
    ecg: new ItemIndex(items.filter((it) => it.modality === 'ecg')),
  };
  const other: Record<Modality, ItemIndex> = { cxr: index.ecg, ecg: index.cxr };
  const pairs: MatchedPair[] = [];
  const unmatched: UnmatchedRow[] = [];
  const seen = new Map<string, number>();
  let nUnmatched = 0;
  const miss = (line: number, reason: string) => {
    nUnmatched++;
    if (unmatched.length < MAX_REPORTED_ROWS) unmatched.push({ line, reason });
  };
  const resolve = (m: Modality, col: ColumnRule, row: Record<string, string>): PairableItem | string => {
    const cell = (row[col.header] ?? '').trim();
    const what = m.toUpperCase();
    if (!cell) return `empty ${what} cell (${col.header})`;
    const hits = index[m].lookup(cell, col.metaKey);
    if (hits.length === 1) return hits[0];
    if (hits.length > 1) return `${what} "${cell}" matches ${hits.length} library items (${hits.slice(0, 3).map((h) => h.id).join(', ')}${hits.length > 3 ? ', ...' : ''})`;
    if (!col.metaKey && other[m].lookup(cell, null).length) return `"${cell}" in the ${what} column is ${m === 'cxr' ? 'an ECG' : 'a CXR'} item`;
    return col.metaKey ? `no ${what} item has ${col.metaKey} = "${cell}"` : `${what} "${cell}" is not in the library`;
  };
  t.value.rows.forEach((row, k) => {
    const line = t.value.rowLines[k];
    const c = resolve('cxr', cxrCol, row);
    const e = resolve('ecg', ecgCol, row);
    if (typeof c === 'string' || typeof e === 'string') {
      miss(line, [c, e].filter((x): x is string => typeof x === 'string').join('; '));
      return;
    }
    const key = `${c.id}\u0000${e.id}`;
    const dup = seen.get(key);
    if (dup !== undefined) {
      miss(line, `the same pair as line ${dup}`);
      return;
    }
    seen.set(key, line);
    pairs.push({ cxrId: c.id, ecgId: e.id, line });
  });
  const how = (r: ColumnRule) => `${r.header}: ${r.metaKey ? `metadata "${r.metaKey}"` : 'item id or file path'}`;
  return { ok: true, report: { kind: 'csv', source: file, rows: t.value.rows.length, pairs, unmatched, unmatchedCount: nUnmatched, columns: [how(cxrCol), how(ecgCol)] } };
}
