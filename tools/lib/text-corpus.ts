// The text-only corpus for the tokenizer vocabulary: every English text the data folder carries beyond the
// item reports (PTB-XL scp_statements descriptions, SNOMED CT ECG class names, the folder's text corpora
// such as ROCO captions and CheXpert phrases), plus the abbreviation expansions, so the subword vocabulary
// covers the words users are likely to type.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCsvBytes } from '../../src/formats/csv';
import { SNOMED_ECG_NAMES } from '../../src/formats/datasets/snomed-names';
import { DEFAULT_ABBREVIATIONS } from '../../src/model/tokenizer';

/** Paths of every scp_statements.csv under dir (depth-limited walk). */
async function findFiles(dir: string, name: string, depth = 4): Promise<string[]> {
  if (depth < 0) return [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isFile() && e.name === name) out.push(p);
    else if (e.isDirectory() && !e.name.startsWith('records')) out.push(...(await findFiles(p, name, depth - 1)));
  }
  return out;
}

export async function extraCorpus(dataDir: string): Promise<string[]> {
  const texts: string[] = [];
  for (const f of await findFiles(dataDir, 'scp_statements.csv')) {
    const csv = parseCsvBytes(new Uint8Array(await readFile(f)), f);
    if (!csv.ok) continue;
    for (const r of csv.value.rows) if (r.description) texts.push(r.description);
  }
  for (const [name, abbr] of Object.values(SNOMED_ECG_NAMES)) texts.push(name, abbr);
  for (const exp of Object.values(DEFAULT_ABBREVIATIONS)) texts.push(exp);
  return texts;
}
