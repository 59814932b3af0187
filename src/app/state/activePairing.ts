// Which CXR-ECG pairing taught the active model version its link: a bound version names its pairing in its
// lineage; a fine-tuned one inherits its parent's; the shipped weights carry the demo pairing by shared
// finding category. The search page's caveat and the Pairs page say it in these words.
export interface VersionLike {
  id: string;
  parent: string | null;
  shipped?: boolean;
  lineage: Record<string, unknown>;
}

export interface PairingInfo {
  /** true for the shipped demo pairing. */
  demo: boolean;
  label: string;
}

export const DEMO_PAIRING_LABEL = 'the demo pairing by shared finding category';

export function pairingOfVersion(v: VersionLike, all: readonly VersionLike[]): PairingInfo {
  let cur: VersionLike | undefined = v;
  for (let hop = 0; cur && hop < 20; hop++) {
    const p = cur.lineage?.pairing as { label?: string; file?: string | null; pairs?: number } | undefined;
    if (p && (p.label || p.file)) return { demo: false, label: `${p.file ?? p.label} (${p.pairs ?? '?'} pairs)` };
    const parent: string | null = cur.parent;
    cur = parent ? all.find((x) => x.id === parent) : undefined;
  }
  return { demo: true, label: DEMO_PAIRING_LABEL };
}

/**
 * Reads the active version's pairing from IndexedDB (the app reads storage directly; writes go through the
 * workers). The connection is closed at once so that it never blocks a worker's schema upgrade.
 */
export async function readActivePairing(): Promise<PairingInfo & { versionId: string | null }> {
  // eslint-disable-next-line no-restricted-syntax -- layer exception kept until the app-state rework routes this through the workers
  const { openStudioDb, getSetting, allVersions } = await import('../../storage');
  const db = await openStudioDb();
  try {
    const id = await getSetting(db, 'activeVersion');
    const all = await allVersions(db);
    const v = id ? all.find((x) => x.id === id) : undefined;
    if (!v) return { demo: true, label: DEMO_PAIRING_LABEL, versionId: id ?? null };
    return { ...pairingOfVersion(v, all), versionId: v.id };
  } finally {
    db.close();
  }
}
