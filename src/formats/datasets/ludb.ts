// LUDB layout: ludb.csv (English diagnoses, multi-line cells) + data/N.hea/.dat WFDB records (500 Hz).
import { parseCsvBytes } from '../csv';
import type { DatasetItem, Discovery, FormatError } from '../types';
import { checkWfdbItem } from './wfdb-item';
import { ecgItem } from './ecg-item';
import { superclassesFromStatements, type EcgSuperclass } from './text-ecg';
import { datasetNameOf, extOf, FileTree, joinPath } from './tree';

const FINDING_COLUMNS = [
  'Conduction abnormalities',
  'Extrasystolies',
  'Hypertrophies',
  'Cardiac pacing',
  'Ischemia',
  'Non-specific repolarization abnormalities',
  'Other states',
];
const AXIS_COLUMN = 'Electric axis of the heart';

const FIXES: [RegExp, string | ((m: string) => string)][] = [
  [/^Iii degree av-block$/i, 'third degree AV block'],
  [/^Ii degree av-block/i, 'second degree AV block'],
  [/^I degree av block$/i, 'first degree AV block'],
  [/intravintricular/gi, 'intraventricular'],
  [/\bstemi\b/gi, 'STEMI'],
  [/\bnstemi\b/gi, 'NSTEMI'],
  [/\bpvc\b/gi, 'PVC'],
  [/\bpac\b/gi, 'PAC'],
  [/\bsa-nodal\b/gi, 'SA-nodal'],
  [/\b(lv|rv|lvot|rvot|ivs|lvs)\b/gi, (m: string) => m.toUpperCase()],
];

function cleanStatement(s: string): string {
  let t = s.trim().replace(/\.$/, '');
  for (const [re, rep] of FIXES) t = typeof rep === 'string' ? t.replace(re, rep) : t.replace(re, rep);
  const axis = /^Electric axis of the heart:\s*(.*)$/i.exec(t);
  if (axis) {
    const v = axis[1].trim();
    t = /deviation/i.test(v) ? v : `${v} electric axis`;
  }
  return t;
}

function lines(cell: string | undefined): string[] {
  return (cell ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l);
}

export interface LudbFindings {
  statements: string[];
  classes: EcgSuperclass[];
}

/** Statements in report order (rhythm, axis, then the other columns) and superclasses. */
export function ludbFindings(row: Record<string, string>): LudbFindings {
  const rhythm = lines(row.Rhythms).map(cleanStatement);
  const axis = lines(row[AXIS_COLUMN]).map(cleanStatement);
  const other = FINDING_COLUMNS.flatMap((c) => lines(row[c]).map(cleanStatement));
  let classes = superclassesFromStatements(other);
  const normalAxis = axis.every((a) => /^(normal|vertical|horizontal) electric axis$/i.test(a));
  if (rhythm.length === 1 && /^sinus rhythm$/i.test(rhythm[0]) && other.length === 0 && normalAxis) classes = ['NORM'];
  return { statements: [...rhythm, ...axis, ...other], classes };
}

export async function discoverLudb(tree: FileTree, rootDir: string, claimed: (p: string) => boolean): Promise<Discovery> {
  const dataset = datasetNameOf(rootDir);
  const csvPath = joinPath(rootDir, 'ludb.csv');
  const errors: FormatError[] = [];
  const items: DatasetItem[] = [];
  const csv = parseCsvBytes(await tree.get(csvPath)!.read(), csvPath);
  if (!csv.ok) return { items, errors: [csv.error], texts: [] };
  const rows = new Map<string, { row: Record<string, string>; line: number }>();
  csv.value.rows.forEach((row, k) => rows.set(row.ID.trim(), { row, line: csv.value.rowLines[k] }));
  const heas = tree
    .under(rootDir)
    .filter((p) => extOf(p) === 'hea' && claimed(p))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  for (const p of heas) {
    const rec = await checkWfdbItem(tree, tree.get(p)!);
    if (!rec.ok) {
      errors.push(rec.error);
      continue;
    }
    const name = rec.value.header.recordName;
    const entry = rows.get(name);
    if (!entry) {
      errors.push({ file: csvPath, message: `no row for record "${name}" (${p})` });
      continue;
    }
    const { row, line } = entry;
    if (!row.Rhythms?.trim()) {
      errors.push({ file: csvPath, message: `line ${line}: record ${name} has no rhythm` });
      continue;
    }
    const { statements, classes } = ludbFindings(row);
    const meta: Record<string, string | number> = { layout: 'ludb', fsHz: rec.value.header.fsHz };
    const age = Number(row.Age?.trim());
    if (row.Age?.trim() && Number.isFinite(age)) meta.age = age;
    const sex = row.Sex?.trim();
    if (sex) meta.sex = /^f/i.test(sex) ? 'female' : /^m/i.test(sex) ? 'male' : sex;
    items.push(ecgItem({ dataset, name, files: rec.value.files, statements, classes, meta }));
  }
  return { items, errors, texts: [] };
}
