// Dataset discovery: finds every known layout (by marker file) anywhere in a file tree, plus loose
// user files, and turns them into DatasetItems with labels, report text and splits. loadItem() parses
// an item's files. One broken file or row becomes an error naming it; everything else still loads.
import { decodeDicom } from '../dicom';
import { detectImageKind } from '../image';
import { decodeImageAuto } from '../image-decode';
import { checkIntegrity } from '../integrity';
import { fail, ok, type DatasetItem, type Discovery, type FormatError, type InputFile, type LoadedItem, type Result } from '../types';
import { readWfdbRecord } from '../wfdb';
import { readEcgExport, ECG_EXPORT_EXTENSIONS } from '../ecg-exports/read';
import { expandZips } from '../zip';
import { IMAGE_EXTENSIONS, cxrItem } from './cxr-item';
import { dicomEcgOrImage, discoverEcgExports } from './ecg-export-items';
import { discoverHannover, discoverLabelsCsv, discoverNih } from './cxr-tables';
import { discoverLudb } from './ludb';
import { discoverPtbxl } from './ptbxl';
import { discoverChexpertPhrases, discoverRoco } from './text-corpora';
import { baseName, dirName, extOf, FileTree, isUnder, stem } from './tree';
import { discoverWfdbRecords, readDxMapping } from './wfdb-records';

export type LayoutKind = 'ptb-xl' | 'ludb' | 'cinc' | 'covid19-hannover' | 'nih-cxr14' | 'labels-csv' | 'roco' | 'chexpert-phrases';

export interface DatasetRoot {
  kind: LayoutKind;
  dir: string;
  /** The marker file that identified it. */
  marker: string;
}

const MAX_IMAGE_FILE_BYTES = 512 * 1024 * 1024;
/** Item layouts read by the hospital ECG export readers (one file each). */
const EXPORT_LAYOUTS = new Set(['dicom-ecg', 'aecg', 'edf', 'edf+', 'bdf']);

/** Finds dataset roots by marker files (several roots at once; one root per folder, first kind wins). */
export function findRoots(tree: FileTree): DatasetRoot[] {
  const RANK: Record<LayoutKind, number> = {
    'ptb-xl': 0,
    ludb: 1,
    cinc: 2,
    'covid19-hannover': 3,
    'nih-cxr14': 4,
    'labels-csv': 5,
    roco: 6,
    'chexpert-phrases': 7,
  };
  const found = new Map<string, DatasetRoot>();
  const add = (kind: LayoutKind, dir: string, marker: string, rank: number) => {
    const prev = found.get(dir);
    if (!prev || rank < RANK[prev.kind]) found.set(dir, { kind, dir, marker });
  };
  for (const p of tree.byPath.keys()) {
    const b = baseName(p);
    const d = dirName(p);
    if (b === 'ptbxl_database.csv') add('ptb-xl', d, p, RANK['ptb-xl']);
    else if (b === 'ludb.csv') add('ludb', d, p, RANK.ludb);
    else if (/^dx_mapping_(un)?scored\.csv$/.test(b) && baseName(d) === 'dx-mapping') add('cinc', dirName(d), p, RANK.cinc);
    else if (b === 'data.csv' && tree.byDir.has(d ? `${d}/png` : 'png')) add('covid19-hannover', d, p, RANK['covid19-hannover']);
    else if (/^Data_Entry_2017.*\.csv$/i.test(b)) add('nih-cxr14', d, p, RANK['nih-cxr14']);
    else if (b === 'labels.csv') add('labels-csv', d, p, RANK['labels-csv']);
    else if (b === 'roco_cxr_captions.csv') add('roco', d, p, RANK.roco);
    else if (extOf(p) === 'txt' && baseName(dirName(d)) === 'phrases' && /^(mention|unmention)$/.test(baseName(d))) {
      add('chexpert-phrases', dirName(dirName(d)), p, RANK['chexpert-phrases']);
    }
  }
  return [...found.values()].sort((a, b) => a.dir.localeCompare(b.dir));
}

/** The deepest root containing a path (or null). */
function ownerOf(path: string, roots: DatasetRoot[]): DatasetRoot | null {
  let best: DatasetRoot | null = null;
  for (const r of roots) if (isUnder(path, r.dir) && (!best || r.dir.length > best.dir.length)) best = r;
  return best;
}

export async function discoverDatasets(dropped: InputFile[]): Promise<Discovery> {
  // A dropped .zip is read like a dropped folder.
  const zips = await expandZips(dropped);
  const files = zips.files;
  const tree = new FileTree(files);
  const roots = findRoots(tree);
  const out: Discovery = { items: [], errors: [...zips.errors], texts: [] };
  const owner = new Map<string, DatasetRoot | null>();
  for (const p of tree.byPath.keys()) owner.set(p, ownerOf(p, roots));
  const claimedBy = (r: DatasetRoot) => (p: string) => owner.get(p) === r;
  const merge = (d: Discovery) => {
    out.items.push(...d.items);
    out.errors.push(...d.errors);
    out.texts.push(...d.texts);
  };
  const ecgRootKinds = new Set<LayoutKind>(['ptb-xl', 'ludb', 'cinc']);
  for (const r of roots) {
    try {
      if (r.kind === 'ptb-xl') merge(await discoverPtbxl(tree, r.dir));
      else if (r.kind === 'ludb') merge(await discoverLudb(tree, r.dir, claimedBy(r)));
      else if (r.kind === 'cinc') {
        const mapFiles = tree.under(r.dir ? `${r.dir}/dx-mapping` : 'dx-mapping').filter((p) => extOf(p) === 'csv').sort().map((p) => tree.get(p)!);
        const mapping = await readDxMapping(mapFiles);
        out.errors.push(...mapping.errors);
        const heas = tree.under(r.dir).filter((p) => extOf(p) === 'hea' && claimedBy(r)(p));
        merge(await discoverWfdbRecords(tree, heas, r.dir === '' ? 'user' : baseName(r.dir), 'cinc', mapping.names));
      } else if (r.kind === 'covid19-hannover') merge(await discoverHannover(tree, r.dir, claimedBy(r)));
      else if (r.kind === 'nih-cxr14') merge(await discoverNih(tree, r.dir, r.marker, claimedBy(r)));
      else if (r.kind === 'labels-csv') merge(await discoverLabelsCsv(tree, r.dir, claimedBy(r)));
      else if (r.kind === 'roco') merge(await discoverRoco(tree, r.marker));
      else if (r.kind === 'chexpert-phrases') merge(await discoverChexpertPhrases(tree, r.dir));
    } catch (e) {
      out.errors.push({ file: r.marker, message: `could not read ${r.kind} dataset: ${(e as Error).message}` });
    }
  }
  // Loose files: WFDB records not owned by an ECG table root, and images not owned by any root.
  const looseHeas: string[] = [];
  const looseImages: string[] = [];
  const looseExports: string[] = [];
  for (const [p, r] of owner) {
    const ext = extOf(p);
    if (ext === 'hea' && (!r || !ecgRootKinds.has(r.kind))) looseHeas.push(p);
    else if (IMAGE_EXTENSIONS.has(ext) && !r) looseImages.push(p);
    else if (ECG_EXPORT_EXTENSIONS.has(ext) && !r) looseExports.push(p);
  }
  merge({ ...(await discoverEcgExports(looseExports.sort().map((p) => tree.get(p)!))), texts: [] });
  try {
    merge(await discoverWfdbRecords(tree, looseHeas, 'user', 'wfdb'));
  } catch (e) {
    out.errors.push({ file: looseHeas[0] ?? '', message: `could not read records: ${(e as Error).message}` });
  }
  for (const p of looseImages.sort()) {
    const f = tree.get(p)!;
    const ext = extOf(p);
    if (f.sizeBytes === 0) {
      out.errors.push({ file: p, message: 'empty file' });
      continue;
    }
    if (ext === 'dcm' || ext === 'dicom') {
      // A DICOM ECG waveform goes to the ECG path; images stay on the image path.
      const ecg = await dicomEcgOrImage(f).catch((e: Error) => ({ error: { file: p, message: `could not read: ${e.message}` } }));
      if (ecg !== 'image') {
        if ('item' in ecg) out.items.push(ecg.item);
        else out.errors.push(ecg.error);
        continue;
      }
    }
    out.items.push(cxrItem({ dataset: 'user', name: p.replace(/\.[^.]+$/, ''), file: f, labels: [], patientKey: stem(p), meta: { layout: 'image' } }));
  }
  // Ids must be unique: later duplicates become errors.
  const seen = new Set<string>();
  const unique: DatasetItem[] = [];
  for (const it of out.items) {
    if (seen.has(it.id)) {
      out.errors.push({ file: it.files[0]?.path ?? it.id, message: `duplicate item id "${it.id}"; skipped` });
      continue;
    }
    seen.add(it.id);
    unique.push(it);
  }
  out.items = unique;
  return out;
}

/** Parses an item's files: an ECG record (mV, any rate) or a grey image (0..1). Never throws. */
export async function loadItem(item: DatasetItem): Promise<Result<LoadedItem>> {
  const first = item.files[0];
  try {
    if (item.modality === 'ecg') {
      const hea = item.files.find((f) => extOf(f.path) === 'hea');
      if (!hea && first && EXPORT_LAYOUTS.has(String(item.meta.layout ?? ''))) {
        const ex = await readEcgExport(first);
        if (!ex.ok) return ex;
        return ok({ modality: 'ecg', record: { ...ex.value.record, id: item.id } });
      }
      if (!hea) return fail(first?.path ?? item.id, 'no .hea header among the item files');
      const r = await readWfdbRecord(hea, item.files.filter((f) => f !== hea));
      if (!r.ok) return r;
      return ok({ modality: 'ecg', record: { ...r.value.record, id: item.id } });
    }
    if (!first) return fail(item.id, 'item has no file');
    if (first.sizeBytes > MAX_IMAGE_FILE_BYTES) return fail(first.path, `file too large (${first.sizeBytes} bytes)`);
    const bytes = await first.read();
    const kind = detectImageKind(bytes);
    // A damaged file is named as damaged before any decoder sees it.
    const intact = kind ? checkIntegrity(bytes, kind) : null;
    if (intact && !intact.ok) return fail(first.path, `damaged: ${intact.damage}`);
    // DICOM: by its DICM marker, or by name for files without the preamble (and for a clear error otherwise).
    if (kind === 'dicom' || (kind === null && /\.(dcm|dicom)$/i.test(first.path))) {
      const d = await decodeDicom(bytes, first.path);
      if (!d.ok) return d;
      if (d.value.notes.length) item.meta.note = d.value.notes.join('; ');
      return ok({ modality: 'cxr', image: { width: d.value.width, height: d.value.height, pixels: d.value.pixels } });
    }
    const img = await decodeImageAuto(bytes, first.path);
    if (!img.ok) return img;
    return ok({ modality: 'cxr', image: img.value });
  } catch (e) {
    return fail(first?.path ?? item.id, `could not read: ${(e as Error).message}`);
  }
}

export type { FormatError };
