// Text-only sources: ROCO chest-radiograph captions and the CheXpert labeler's example reports.
import { parseCsvBytes, parseCsvCells } from '../csv';
import type { Discovery } from '../types';
import { FileTree, joinPath } from './tree';

export async function discoverRoco(tree: FileTree, csvPath: string): Promise<Discovery> {
  const t = parseCsvBytes(await tree.get(csvPath)!.read(), csvPath);
  if (!t.ok) return { items: [], errors: [t.error], texts: [] };
  if (!t.value.header.includes('caption')) return { items: [], errors: [{ file: csvPath, message: 'line 1: no caption column' }], texts: [] };
  return { items: [], errors: [], texts: t.value.rows.map((r) => r.caption.trim()).filter((c) => c) };
}

/** sample_reports.csv has no header: one report per row. */
export async function discoverChexpertPhrases(tree: FileTree, rootDir: string): Promise<Discovery> {
  const p = joinPath(rootDir, 'sample_reports.csv');
  const f = tree.get(p);
  if (!f) return { items: [], errors: [], texts: [] };
  const r = parseCsvCells(new TextDecoder().decode(await f.read()), p);
  if (!r.ok) return { items: [], errors: [r.error], texts: [] };
  return { items: [], errors: [], texts: r.value.cells.map((c) => c.join(',').replace(/\s+/g, ' ').trim()).filter((c) => c) };
}
