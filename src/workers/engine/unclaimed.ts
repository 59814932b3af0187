// Report lines for the files a drop gave that are not part of any item or error: dataset tables that
// were read, signal files without their header, archives no reader opened, and files of other
// formats, each with its reason. Together with the item lines, every file the user gave is listed.
import { findRoots } from '../../formats/datasets';
import { baseName, dirName, extOf, FileTree, isUnder, stem } from '../../formats/datasets/tree';
import type { InputFile } from '../../formats/types';
import type { ReportLine } from '../api';

const TABLE_EXTS = new Set(['csv', 'tsv', 'json']);
const SYSTEM_FILES = /^(\.|thumbs\.db$|desktop\.ini$|__MACOSX$)/i;

/**
 * `claimed(path)` is true for files that belong to an item or an error line. An archive counts as
 * claimed when any claimed path lies inside it ("a.zip/...", "a.zip!...", "a.zip:...").
 */
export function unclaimedLines(files: readonly InputFile[], claimedPaths: ReadonlySet<string>): ReportLine[] {
  const tree = new FileTree([...files]);
  const roots = findRoots(tree);
  const rootOf = (p: string) => roots.filter((r) => isUnder(p, r.dir)).sort((a, b) => b.dir.length - a.dir.length)[0] ?? null;
  const insideArchive = (p: string) => {
    for (const c of claimedPaths) if (c.startsWith(`${p}/`) || c.startsWith(`${p}!`) || c.startsWith(`${p}:`)) return true;
    return false;
  };
  const out: ReportLine[] = [];
  for (const p of [...tree.byPath.keys()].sort()) {
    if (claimedPaths.has(p)) continue;
    const ext = extOf(p);
    const name = baseName(p);
    const root = rootOf(p);
    const line = (status: ReportLine['status'], message: string) => out.push({ file: p, status, message });
    if (SYSTEM_FILES.test(name) || p.split('/').some((seg) => seg === '__MACOSX')) {
      line('skipped', 'skipped: a system file, not data');
    } else if (roots.some((r) => r.marker === p)) {
      line('read', `read: the ${root?.kind ?? 'dataset'} table`);
    } else if (ext === 'zip') {
      if (insideArchive(p)) continue;
      line('skipped', 'skipped: .zip archives are not opened here; unpack it and drop the folder');
    } else if (ext === 'dat' || ext === 'mat') {
      const hea = tree.sibling(p, `${stem(p)}.hea`);
      if (!hea) line('skipped', `skipped: a ${ext === 'mat' ? 'PhysioNet Challenge .mat' : 'WFDB'} signal file needs its .hea`);
      else if (claimedPaths.has(hea.path)) line('unreadable', `not read: its header ${baseName(hea.path)} could not be read`);
      else line('skipped', `skipped: its record ${stem(p)} is not listed in the dataset table`);
    } else if (ext === 'hea' || ext === 'png' || ext === 'jpg' || ext === 'jpeg' || ext === 'dcm' || ext === 'dicom') {
      line('skipped', root ? `skipped: not listed in ${baseName(root.marker)}` : 'skipped: not part of a record');
    } else if (root && (TABLE_EXTS.has(ext) || (ext === 'txt' && (root.kind === 'chexpert-phrases' || root.kind === 'roco')))) {
      line('read', `read: part of the ${root.kind} dataset in ${dirName(root.marker) || 'the top folder'}`);
    } else {
      line('skipped', 'skipped: not a supported format');
    }
  }
  return out;
}
