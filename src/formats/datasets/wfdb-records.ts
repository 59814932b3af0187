// WFDB records outside PTB-XL/LUDB tables: Challenge roots (.hea + .mat, `# Dx:` SNOMED codes with
// names from dx-mapping/*.csv when present) and users' loose .hea + .dat/.mat pairs.
import { parseCsvBytes } from '../csv';
import type { DatasetItem, Discovery, FormatError, InputFile } from '../types';
import { findingsFromHeader, type SnomedNames } from './ecg-header-text';
import { ecgItem } from './ecg-item';
import { FileTree, stem } from './tree';
import { checkWfdbItem } from './wfdb-item';

/** Reads Challenge dx-mapping tables (Dx, SNOMEDCTCode, Abbreviation). */
export async function readDxMapping(files: InputFile[]): Promise<{ names: SnomedNames; errors: FormatError[] }> {
  const names: SnomedNames = {};
  const errors: FormatError[] = [];
  for (const f of files) {
    const t = parseCsvBytes(await f.read(), f.path);
    if (!t.ok) {
      errors.push(t.error);
      continue;
    }
    if (!t.value.header.includes('SNOMEDCTCode') || !t.value.header.includes('Dx')) {
      errors.push({ file: f.path, message: 'line 1: expected columns Dx and SNOMEDCTCode' });
      continue;
    }
    for (const r of t.value.rows) {
      const code = r.SNOMEDCTCode.trim();
      if (code && !(code in names)) names[code] = [r.Dx.trim(), (r.Abbreviation ?? '').trim()];
    }
  }
  return { names, errors };
}

/** One item per .hea; the header's comments give labels and text where present. */
export async function discoverWfdbRecords(
  tree: FileTree,
  heaPaths: string[],
  dataset: string,
  layout: string,
  names?: SnomedNames,
): Promise<Discovery> {
  const items: DatasetItem[] = [];
  const errors: FormatError[] = [];
  const sorted = [...heaPaths].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  // Segment headers of multi-segment records belong to their record, not to items of their own.
  const checked: { path: string; rec: Awaited<ReturnType<typeof checkWfdbItem>> }[] = [];
  const segmentHeaders = new Set<string>();
  for (const p of sorted) {
    const rec = await checkWfdbItem(tree, tree.get(p)!);
    if (rec.ok) for (const s of rec.value.segmentHeaders) segmentHeaders.add(s);
    checked.push({ path: p, rec });
  }
  for (const { path: p, rec } of checked) {
    if (segmentHeaders.has(p)) continue;
    if (!rec.ok) {
      errors.push(rec.error);
      continue;
    }
    const { statements, classes, meta } = findingsFromHeader(rec.value.header, names);
    const name = dataset === 'user' ? p.replace(/\.hea$/i, '') : stem(p);
    items.push(
      ecgItem({ dataset, name, files: rec.value.files, statements, classes, meta: { layout, fsHz: rec.value.header.fsHz, ...rec.value.meta, ...meta } }),
    );
  }
  return { items, errors, texts: [] };
}
