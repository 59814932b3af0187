// CXR layouts with a label table: labels.csv (path,label[,subtype,patient_key]; e.g. Kermany),
// COVID-19 Hannover data.csv (image_id -> png/<id>.png), NIH Data_Entry_2017*.csv (Image Index, Finding Labels).
import { parseCsvBytes, type CsvTable } from '../csv';
import type { DatasetItem, Discovery, FormatError } from '../types';
import { cxrItem, IMAGE_EXTENSIONS } from './cxr-item';
import { baseName, datasetNameOf, extOf, FileTree, joinPath, stem } from './tree';

async function table(tree: FileTree, path: string): Promise<CsvTable | FormatError> {
  const r = parseCsvBytes(await tree.get(path)!.read(), path);
  return r.ok ? r.value : r.error;
}

function missingColumns(t: CsvTable, cols: string[]): string[] {
  return cols.filter((c) => !t.header.includes(c));
}

/** Images under the root that no table row names: kept as unlabelled items. */
function unlisted(tree: FileTree, rootDir: string, used: Set<string>, claimed: (p: string) => boolean, dataset: string): DatasetItem[] {
  return tree
    .under(rootDir)
    .filter((p) => IMAGE_EXTENSIONS.has(extOf(p)) && !used.has(p) && claimed(p))
    .sort()
    .map((p) =>
      cxrItem({ dataset, name: p.slice(rootDir ? rootDir.length + 1 : 0).replace(/\.[^.]+$/, ''), file: tree.get(p)!, labels: [], patientKey: stem(p), meta: { layout: 'unlabelled' } }),
    );
}

export async function discoverLabelsCsv(tree: FileTree, rootDir: string, claimed: (p: string) => boolean): Promise<Discovery> {
  const dataset = datasetNameOf(rootDir);
  const csvPath = joinPath(rootDir, 'labels.csv');
  const t = await table(tree, csvPath);
  if ('message' in t) return { items: [], errors: [t], texts: [] };
  const miss = missingColumns(t, ['path', 'label']);
  if (miss.length) return { items: [], errors: [{ file: csvPath, message: `line 1: missing column(s) ${miss.join(', ')}` }], texts: [] };
  const items: DatasetItem[] = [];
  const errors: FormatError[] = [];
  const used = new Set<string>();
  t.rows.forEach((r, k) => {
    const where = `line ${t.rowLines[k]}`;
    const rel = r.path.trim();
    const label = r.label.trim();
    if (!rel || !label) {
      errors.push({ file: csvPath, message: `${where}: empty path or label` });
      return;
    }
    const p = joinPath(rootDir, rel);
    const f = tree.get(p);
    if (!f) {
      errors.push({ file: csvPath, message: `${where}: image "${rel}" not found` });
      return;
    }
    used.add(p);
    const meta: Record<string, string | number> = { layout: 'labels-csv' };
    if (r.subtype) meta.subtype = r.subtype.trim();
    if (r.upstream_split) meta.upstream_split = r.upstream_split.trim();
    if (r.view) meta.view = r.view.trim();
    items.push(
      cxrItem({
        dataset,
        name: rel.replace(/\.[^.]+$/, ''),
        file: f,
        labels: label.split('|').map((l) => l.trim()).filter((l) => l),
        patientKey: r.patient_key?.trim() || stem(rel),
        meta,
        textOptions: { pneumoniaSubtype: r.subtype?.trim() },
      }),
    );
  });
  return { items: [...items, ...unlisted(tree, rootDir, used, claimed, dataset)], errors, texts: [] };
}

/** The lab value columns of the Hannover data.csv. */
export const HANNOVER_LAB_COLUMNS = ['crp_val', 'd-dimer_val', 'factor_xii_val', 'ldh_val', 'lymphocytes_val', 'neutrophils_val', 'pco2_val', 'po2_val'] as const;

export async function discoverHannover(tree: FileTree, rootDir: string, claimed: (p: string) => boolean): Promise<Discovery> {
  const dataset = datasetNameOf(rootDir);
  const csvPath = joinPath(rootDir, 'data.csv');
  const t = await table(tree, csvPath);
  if ('message' in t) return { items: [], errors: [t], texts: [] };
  const items: DatasetItem[] = [];
  const errors: FormatError[] = [];
  const used = new Set<string>();
  t.rows.forEach((r, k) => {
    const where = `line ${t.rowLines[k]}`;
    const imageId = r.image_id?.trim();
    if (!imageId || !r.patient_id?.trim()) {
      errors.push({ file: csvPath, message: `${where}: empty image_id or patient_id` });
      return;
    }
    const p = joinPath(rootDir, `png/${imageId}.png`);
    const f = tree.get(p);
    if (!f) {
      errors.push({ file: csvPath, message: `${where}: image png/${imageId}.png not found` });
      return;
    }
    used.add(p);
    const meta: Record<string, string | number> = { layout: 'covid19-hannover' };
    const proj = r.projection?.trim().toUpperCase();
    if (proj) meta.view = proj;
    const sex = r.sex?.trim();
    if (sex) meta.sex = sex === 'f' || sex === 'w' ? 'female' : sex === 'm' ? 'male' : sex;
    meta.icu = r.icu_admission_offset?.trim() ? 'yes' : 'no';
    meta.death = r.death_offset?.trim() ? 'yes' : 'no';
    if (r.admission_offset?.trim()) meta.admission_offset_days = Number(r.admission_offset);
    meta.patient_id = r.patient_id.trim();
    // Lab values as published (interval bounds; "-inf"/"inf" below/above the detection limit), for text templates.
    for (const col of HANNOVER_LAB_COLUMNS) if (r[col]?.trim()) meta[col] = r[col].trim();
    items.push(cxrItem({ dataset, name: imageId, file: f, labels: ['COVID-19'], patientKey: r.patient_id.trim(), meta }));
  });
  return { items: [...items, ...unlisted(tree, rootDir, used, claimed, dataset)], errors, texts: [] };
}

export async function discoverNih(tree: FileTree, rootDir: string, csvPath: string, claimed: (p: string) => boolean): Promise<Discovery> {
  const dataset = datasetNameOf(rootDir);
  const t = await table(tree, csvPath);
  if ('message' in t) return { items: [], errors: [t], texts: [] };
  const miss = missingColumns(t, ['Image Index', 'Finding Labels', 'Patient ID']);
  if (miss.length) return { items: [], errors: [{ file: csvPath, message: `line 1: missing column(s) ${miss.join(', ')}` }], texts: [] };
  // The table may cover many more images than are present (it is NIH's full list): rows without an image are skipped.
  const images = new Map<string, string>();
  for (const p of tree.under(rootDir)) if (IMAGE_EXTENSIONS.has(extOf(p)) && claimed(p)) images.set(baseName(p), p);
  const items: DatasetItem[] = [];
  const errors: FormatError[] = [];
  const used = new Set<string>();
  t.rows.forEach((r, k) => {
    const name = r['Image Index'].trim();
    const p = images.get(name);
    if (!p) return;
    const labels = r['Finding Labels']
      .split('|')
      .map((l) => l.trim().replace(/_/g, ' '))
      .filter((l) => l);
    if (labels.length === 0) {
      errors.push({ file: csvPath, message: `line ${t.rowLines[k]}: empty Finding Labels for ${name}` });
      return;
    }
    used.add(p);
    const meta: Record<string, string | number> = { layout: 'nih-cxr14' };
    const age = Number(r['Patient Age']);
    if (r['Patient Age'] && Number.isFinite(age)) meta.age = age;
    const sex = r['Patient Gender']?.trim();
    if (sex) meta.sex = sex === 'F' ? 'female' : sex === 'M' ? 'male' : sex;
    if (r['View Position']) meta.view = r['View Position'].trim();
    items.push(cxrItem({ dataset, name: stem(name), file: tree.get(p)!, labels, patientKey: r['Patient ID'].trim(), meta }));
  });
  return { items: [...items, ...unlisted(tree, rootDir, used, claimed, dataset)], errors, texts: [] };
}
