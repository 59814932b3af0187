// Discovery-time check of one WFDB record: read the (small) header, find its signal files next to it,
// and compare their sizes with what the header declares, so a missing or truncated file is reported
// before anything is decoded.
import { parseWfdbHeader, type WfdbHeader } from '../wfdb';
import { fail, ok, type InputFile, type Result } from '../types';
import { FileTree, readText } from './tree';

const BYTES_PER_SAMPLE: Record<number, number> = { 16: 2, 212: 1.5, 80: 1, 24: 3, 32: 4 };
const MAX_HEADER_BYTES = 1024 * 1024;

export interface WfdbItemFiles {
  header: WfdbHeader;
  /** The .hea first, then its signal files. */
  files: InputFile[];
}

export async function checkWfdbItem(tree: FileTree, hea: InputFile): Promise<Result<WfdbItemFiles>> {
  let text: string;
  try {
    text = await readText(hea, MAX_HEADER_BYTES);
  } catch (e) {
    return fail(hea.path, `could not read header: ${(e as Error).message}`);
  }
  const h = parseWfdbHeader(text, hea.path);
  if (!h.ok) return h;
  const header = h.value;
  const files: InputFile[] = [hea];
  const groups = new Map<string, { count: number; format: number; offset: number }>();
  for (const s of header.signals) {
    const g = groups.get(s.fileName) ?? { count: 0, format: s.format, offset: s.byteOffset };
    g.count++;
    groups.set(s.fileName, g);
  }
  for (const [name, g] of groups) {
    const f = tree.sibling(hea.path, name);
    if (!f) return fail(hea.path, `signal file "${name}" is missing`);
    files.push(f);
    if (header.nSamples > 0) {
      const need = g.offset + Math.ceil(header.nSamples * g.count * BYTES_PER_SAMPLE[g.format]);
      if (f.sizeBytes < need) {
        return fail(f.path, `truncated: ${f.sizeBytes} bytes, header declares ${header.nSamples} samples x ${g.count} signals (${need} bytes)`);
      }
    } else if (f.sizeBytes <= g.offset) {
      return fail(f.path, 'signal file is empty');
    }
  }
  return ok({ header, files });
}
