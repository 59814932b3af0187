// Model versions for the lab: the shipped one plus the stored fine-tuned ones, the active choice (kv
// "activeVersion"), export as downloadable files and verified import.
import { exportBundle, importBundle, type VersionFile } from '../../model/finetune/version-files';
import type { StudioDb } from '../../storage/db';
import { countEmbeddingsOfVersion } from '../../storage/embeddings';
import { activeVersionId } from '../../storage/active-version';
import type { StoredModelVersion } from '../../storage/types';
import { allVersions, getVersion, putVersion } from '../../storage/versions';
import type { VersionSummary } from './methods';
import { isPredictorVersion } from './clinical/predictors';
import { badInput } from '../shared/errors';


export async function listVersions(db: StudioDb, shipped: string): Promise<VersionSummary[]> {
  const active = await activeVersionId(db, shipped);
  const stored = (await allVersions(db)).filter((v) => v.id !== shipped && !isPredictorVersion(v)).sort((a, b) => a.createdAt - b.createdAt);
  const shippedRow: VersionSummary = {
    id: shipped, name: `Shipped weights (${shipped})`, parent: null, createdAt: 0, lineage: {}, files: [],
    embedded: await countEmbeddingsOfVersion(db, shipped), active: active === shipped, shipped: true,
  };
  const rows = await Promise.all(
    stored.map(async (v): Promise<VersionSummary> => ({
      id: v.id, name: v.name, parent: v.parent, createdAt: v.createdAt, lineage: v.lineage,
      files: (v.files ?? []).map((f) => ({ name: f.name, bytes: f.bytes.length, sha256: f.sha256 })),
      embedded: await countEmbeddingsOfVersion(db, v.id), active: v.id === active, shipped: false,
    })),
  );
  return [shippedRow, ...rows];
}

export async function exportVersion(db: StudioDb, id: string): Promise<VersionFile[]> {
  const v = await getVersion(db, id);
  if (!v || !v.files?.length) throw badInput(`version "${id}" has no stored weight files to export (the shipped weights are the app's own files under weights/)`);
  return exportBundle({ id: v.id, name: v.name, parent: v.parent, createdAt: v.createdAt, lineage: v.lineage }, v.files);
}

/**
 * Imports an exported bundle: every file's sha256 must match the bundle JSON, and every parameter must
 * exist in the shipped model with the same shape (checked by `checkParam`).
 */
export async function importVersion(
  db: StudioDb,
  files: { name: string; bytes: Uint8Array }[],
  checkParam: (name: string, shape: number[]) => string | null,
): Promise<StoredModelVersion> {
  const r = await importBundle(files);
  if (!r.ok) throw badInput(`import refused: ${r.error}`);
  const { meta, params } = r.value;
  for (const [name, p] of Object.entries(params)) {
    const problem = checkParam(name, p.shape);
    if (problem) throw badInput(`import refused: ${problem}`);
  }
  const existing = await getVersion(db, meta.id);
  if (existing) {
    const same = (existing.files ?? []).map((f) => f.sha256).join() === r.value.files.map((f) => f.sha256).join();
    if (same) return existing;
    throw badInput(`import refused: a different version with id "${meta.id}" already exists`);
  }
  const v: StoredModelVersion = {
    id: meta.id, name: meta.name, parent: meta.parent, createdAt: meta.createdAt,
    lineage: { ...meta.lineage, importedAt: Date.now() }, files: r.value.files,
  };
  await putVersion(db, v);
  return v;
}
