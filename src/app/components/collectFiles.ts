// Turns what the user drops or picks (files, whole folders) into PageFiles with '/'-separated relative paths,
// so dataset layouts (records100/00000/00001_lr.hea, labels.csv next to image folders) survive the trip.
import type { PageFile } from '../../workers/api';

/** The parts of FileSystemEntry used here (structural, so tests can pass plain objects). */
export interface EntryLike {
  isFile: boolean;
  isDirectory: boolean;
  name: string;
  fullPath: string;
  file?(ok: (f: File) => void, err?: (e: unknown) => void): void;
  createReader?(): { readEntries(ok: (entries: EntryLike[]) => void, err?: (e: unknown) => void): void };
}

export interface Collected {
  files: PageFile[];
  /** Entries that could not be read, as "path: reason". */
  errors: string[];
}

/** Hard cap so a mistaken drop of a whole disk cannot exhaust memory. */
export const MAX_FILES = 200_000;

const relPath = (entry: EntryLike) => entry.fullPath.replace(/^\/+/, '') || entry.name;

function fileOf(entry: EntryLike): Promise<File> {
  return new Promise((resolve, reject) => entry.file!(resolve, reject));
}

/** readEntries returns at most ~100 entries per call: keep calling until it returns none. */
async function readAll(entry: EntryLike): Promise<EntryLike[]> {
  const reader = entry.createReader!();
  const all: EntryLike[] = [];
  for (;;) {
    const batch = await new Promise<EntryLike[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

export async function filesFromEntries(roots: EntryLike[]): Promise<Collected> {
  const out: Collected = { files: [], errors: [] };
  const stack = [...roots].reverse();
  while (stack.length > 0) {
    if (out.files.length >= MAX_FILES) {
      out.errors.push(`more than ${MAX_FILES} files: the rest were not read`);
      break;
    }
    const entry = stack.pop()!;
    try {
      if (entry.isFile && entry.file) {
        out.files.push({ path: relPath(entry), file: await fileOf(entry) });
      } else if (entry.isDirectory && entry.createReader) {
        const children = await readAll(entry);
        children.sort((a, b) => a.name.localeCompare(b.name));
        for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
      }
    } catch (e) {
      out.errors.push(`${relPath(entry)}: ${e instanceof Error ? e.message : 'could not be read'}`);
    }
  }
  return out;
}

/**
 * Reads a drop. The DataTransfer is emptied once the event handler returns, so the entries are taken
 * synchronously here, before the first await.
 */
export function filesFromDataTransfer(dt: DataTransfer): Promise<Collected> {
  const entries: EntryLike[] = [];
  const loose: File[] = [];
  for (const item of Array.from(dt.items ?? [])) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry?.() as EntryLike | null | undefined;
    if (entry) entries.push(entry);
    else {
      const f = item.getAsFile();
      if (f) loose.push(f);
    }
  }
  if (entries.length === 0 && loose.length === 0) loose.push(...Array.from(dt.files ?? []));
  return filesFromEntries(entries).then((c) => ({
    files: [...c.files, ...loose.map((f) => ({ path: f.name, file: f }))],
    errors: c.errors,
  }));
}

/** From an <input type=file> (with or without webkitdirectory). */
export function filesFromInput(list: FileList | null): PageFile[] {
  return Array.from(list ?? []).map((f) => ({ path: f.webkitRelativePath || f.name, file: f }));
}
