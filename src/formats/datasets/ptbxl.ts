// PTB-XL layout: ptbxl_database.csv + scp_statements.csv + records100/records500 WFDB files.
// Labels: diagnostic superclasses (likelihood > 0); text from the English statement descriptions;
// split by strat_fold (1-7 train, 8 val, 9-10 test), duplicate recordings kept together.
import { parseCsvBytes } from '../csv';
import type { DatasetItem, Discovery, FormatError } from '../types';
import { checkWfdbItem } from './wfdb-item';
import { ecgReportText, ecgTextVariants, ECG_SUPERCLASSES, type EcgSuperclass } from './text-ecg';
import { datasetNameOf, FileTree, joinPath } from './tree';

/** Duplicate recordings (ecg_id pairs) that must share a split. */
const DUPLICATE_PAIRS: [number, number][] = [
  [137, 138],
  [456, 457],
  [459, 460],
  [143, 144],
];

interface Statement {
  description: string;
  diagnostic: boolean;
  diagnosticClass: string;
}

/** Parses the Python-dict text of scp_codes ("{'NORM': 100.0, 'SR': 0.0}") keeping its order. */
export function parseScpCodes(text: string): [string, number][] | null {
  const t = text.trim();
  if (!t.startsWith('{') || !t.endsWith('}')) return null;
  const body = t.slice(1, -1).trim();
  if (body === '') return [];
  const out: [string, number][] = [];
  for (const part of body.split(',')) {
    const m = /^\s*'([^']+)'\s*:\s*(-?\d+(?:\.\d*)?)\s*$/.exec(part);
    if (!m) return null;
    out.push([m[1], Number(m[2])]);
  }
  return out;
}

export async function discoverPtbxl(tree: FileTree, rootDir: string): Promise<Discovery> {
  const dataset = datasetNameOf(rootDir);
  const dbPath = joinPath(rootDir, 'ptbxl_database.csv');
  const stPath = joinPath(rootDir, 'scp_statements.csv');
  const errors: FormatError[] = [];
  const items: DatasetItem[] = [];
  const stFile = tree.get(stPath);
  if (!stFile) return { items, errors: [{ file: stPath, message: 'scp_statements.csv is missing next to ptbxl_database.csv' }], texts: [] };
  const st = parseCsvBytes(await stFile.read(), stPath);
  if (!st.ok) return { items, errors: [st.error], texts: [] };
  const statements = new Map<string, Statement>();
  for (const r of st.value.rows) {
    const code = r[''] ?? r[st.value.header[0]];
    statements.set(code, {
      description: r.description || code,
      diagnostic: Number(r.diagnostic) === 1,
      diagnosticClass: r.diagnostic_class ?? '',
    });
  }
  const db = parseCsvBytes(await tree.get(dbPath)!.read(), dbPath);
  if (!db.ok) return { items, errors: [db.error], texts: [] };
  const byEcgId = new Map<number, DatasetItem>();
  for (let k = 0; k < db.value.rows.length; k++) {
    const r = db.value.rows[k];
    const where = `line ${db.value.rowLines[k]}`;
    const ecgId = Number(r.ecg_id);
    const fold = Number(r.strat_fold);
    const codes = parseScpCodes(r.scp_codes ?? '');
    if (!Number.isInteger(ecgId) || ecgId <= 0) {
      errors.push({ file: dbPath, message: `${where}: bad ecg_id "${r.ecg_id}"` });
      continue;
    }
    if (!Number.isInteger(fold) || fold < 1 || fold > 10) {
      errors.push({ file: dbPath, message: `${where}: bad strat_fold "${r.strat_fold}" (ecg_id ${ecgId})` });
      continue;
    }
    if (!codes) {
      errors.push({ file: dbPath, message: `${where}: cannot parse scp_codes "${r.scp_codes}" (ecg_id ${ecgId})` });
      continue;
    }
    const candidates = [r.filename_lr, r.filename_hr].filter((f) => f).map((f) => joinPath(rootDir, `${f}.hea`));
    const hea = candidates.map((p) => tree.get(p)).find((f) => f);
    if (!hea) {
      errors.push({ file: dbPath, message: `${where}: record files for ecg_id ${ecgId} not found (${candidates.join(' or ') || 'no file name'})` });
      continue;
    }
    const rec = await checkWfdbItem(tree, hea);
    if (!rec.ok) {
      errors.push(rec.error);
      continue;
    }
    // Diagnostic statements count when likelihood > 0; rhythm/form statements carry likelihood 0 in PTB-XL
    // (no likelihood assigned), so they are kept as findings.
    const kept = codes.filter(([code, lik]) => {
      const s = statements.get(code);
      return s ? (s.diagnostic ? lik > 0 : true) : lik > 0;
    });
    const texts = kept.map(([code]) => statements.get(code)?.description ?? code);
    const classSet = new Set<string>();
    for (const [code, lik] of codes) {
      const s = statements.get(code);
      if (s?.diagnostic && lik > 0 && s.diagnosticClass) classSet.add(s.diagnosticClass);
    }
    const classes = ECG_SUPERCLASSES.filter((c) => classSet.has(c)) as EcgSuperclass[];
    const id = `${dataset}/${ecgId}`;
    const age = Number(r.age);
    const meta: Record<string, string | number> = { layout: 'ptb-xl', ecgId, strat_fold: fold, fsHz: rec.value.header.fsHz };
    if (r.age !== '' && Number.isFinite(age)) meta.age = age >= 300 ? '>89' : age;
    if (r.sex === '0' || r.sex === '1') meta.sex = r.sex === '0' ? 'male' : 'female';
    if (r.device) meta.device = r.device.trim();
    if (r.patient_id) meta.patient_id = String(Number(r.patient_id));
    for (const col of ['height', 'weight'] as const) if (r[col]?.trim() && Number.isFinite(Number(r[col]))) meta[col] = Number(r[col]);
    if (classes.length) meta.superclass = classes.join(',');
    const item: DatasetItem = {
      id,
      modality: 'ecg',
      dataset,
      files: rec.value.files,
      labels: classes,
      text: ecgReportText(texts, classes),
      textVariants: ecgTextVariants(id, texts, classes),
      patientKey: r.patient_id ? `${dataset}:patient:${String(Number(r.patient_id))}` : `${dataset}:ecg:${ecgId}`,
      split: fold <= 7 ? 'train' : fold === 8 ? 'val' : 'test',
      meta,
    };
    items.push(item);
    byEcgId.set(ecgId, item);
  }
  for (const [a, b] of DUPLICATE_PAIRS) {
    const ia = byEcgId.get(a);
    const ib = byEcgId.get(b);
    if (ia && ib) {
      ib.split = ia.split;
      ib.patientKey = ia.patientKey;
    }
  }
  return { items, errors, texts: [] };
}
