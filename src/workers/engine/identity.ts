// Decides what a discovered item is to the library, by content: the same bytes as a stored item (SHA-256
// of its files) or the same DICOM SOP Instance UID are "already in the library (as <name>)"; another
// content under a name that is taken becomes a new item with the hash in its id. Items stored before
// content identity have no hash: a file under such an item's id is compared by its model input.
import type { DatasetItem } from '../../formats/types';
import { contentHash } from '../../formats/identity/content-hash';
import { sopInstanceUid } from '../../formats/identity/sop-instance-uid';
import { detectImageKind } from '../../formats/image';
import type { StudioDb } from '../../storage/db';
import { itemsByContentHash, itemsByDicomUid } from '../../storage/identity';
import { getItems } from '../../storage/items';
import type { StoredItem } from '../../storage/types';

export interface Identified {
  item: DatasetItem;
  hash: string;
  dicomUid: string | null;
}

export type Decision =
  | { kind: 'new'; item: DatasetItem; hash: string; dicomUid: string | null }
  | { kind: 'already'; message: string }
  /** The id is held by an item without a hash: compare model inputs after preparing. */
  | { kind: 'legacy'; item: DatasetItem; hash: string; dicomUid: string | null; stored: StoredItem };

const MAX_UID_SCAN_BYTES = 512 * 1024 * 1024;

/** Hashes an item's files and reads the DICOM UID of a single DICOM image. Throws on unreadable files. */
export async function identify(item: DatasetItem): Promise<Identified> {
  const hash = await contentHash(item.files);
  let dicomUid: string | null = null;
  const f = item.files[0];
  if (item.modality === 'cxr' && item.files.length === 1 && f.sizeBytes <= MAX_UID_SCAN_BYTES) {
    const bytes = await f.read();
    if (detectImageKind(bytes) === 'dicom') dicomUid = sopInstanceUid(bytes);
  }
  return { item, hash, dicomUid };
}

/** A new id for content whose name is taken: the name plus the first 12 hex digits of its hash. */
export const hashedId = (id: string, hash: string): string => `${id}~${hash.slice(0, 12)}`;

const nameOf = (it: { sourceName: string; id: string }) => it.sourceName || it.id;
const asWhat = (stored: StoredItem, item: DatasetItem) => {
  const name = nameOf(stored);
  const mine = item.files[0]?.path.split('/').pop() ?? item.id;
  return name === mine ? 'already in the library' : `already in the library (as ${name})`;
};

/**
 * Decisions for one batch, in order. `seen` maps hashes and UIDs taken earlier in this drop to the path
 * that took them (updated here).
 */
export async function decide(db: StudioDb, batch: Identified[], seen: Map<string, string>): Promise<Decision[]> {
  const [byHash, byUid, byId] = await Promise.all([
    itemsByContentHash(db, batch.map((b) => b.hash)),
    itemsByDicomUid(db, batch.flatMap((b) => (b.dicomUid ? [b.dicomUid] : []))),
    getItems(db, batch.flatMap((b) => [b.item.id, hashedId(b.item.id, b.hash)])),
  ]);
  return batch.map((b, i): Decision => {
    const stored = byHash.get(b.hash);
    if (stored) return { kind: 'already', message: asWhat(stored, b.item) };
    const uidTwin = b.dicomUid ? byUid.get(b.dicomUid) : undefined;
    if (uidTwin) return { kind: 'already', message: `${asWhat(uidTwin, b.item)}: same DICOM SOP Instance UID` };
    const earlier = seen.get(`h:${b.hash}`) ?? (b.dicomUid ? seen.get(`u:${b.dicomUid}`) : undefined);
    if (earlier) return { kind: 'already', message: `same content as ${earlier} in this drop; added once` };
    seen.set(`h:${b.hash}`, b.item.files[0]?.path ?? b.item.id);
    if (b.dicomUid) seen.set(`u:${b.dicomUid}`, b.item.files[0]?.path ?? b.item.id);
    const holder = byId[2 * i];
    if (!holder) return { kind: 'new', item: b.item, hash: b.hash, dicomUid: b.dicomUid };
    if (!holder.contentHash) return { kind: 'legacy', item: b.item, hash: b.hash, dicomUid: b.dicomUid, stored: holder };
    // Same name, other content: a new item under the hashed id.
    return { kind: 'new', item: { ...b.item, id: hashedId(b.item.id, b.hash) }, hash: b.hash, dicomUid: b.dicomUid };
  });
}

/**
 * True when two model inputs come from the same source file: preprocessing is deterministic, so equal
 * files give equal inputs; a relative RMS tolerance of 1e-3 allows for a changed resampler between
 * versions, far below what two different recordings or radiographs differ by.
 */
export function sameModelInput(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length || a.length === 0) return false;
  let diff = 0;
  let energy = 0;
  for (let i = 0; i < a.length; i++) {
    const x = Number.isFinite(a[i]) ? a[i] : 0;
    const y = Number.isFinite(b[i]) ? b[i] : 0;
    diff += (x - y) ** 2;
    energy += x * x;
  }
  return Math.sqrt(diff / a.length) <= 1e-3 * Math.sqrt(energy / a.length) + 1e-7;
}
