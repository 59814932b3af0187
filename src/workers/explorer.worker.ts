// Entry of the explorer worker: projections (PCA, UMAP, t-SNE), neighbours and exports off the main
// thread, answering the typed calls of src/workers/explorer/methods.ts.
import { openStudioDb } from '../storage/db';
import { serveRpc } from './rpc-worker';
import type { ExplorerMethods } from './explorer/methods';
import { createExplorerHandlers } from './explorer/service';

/** The shipped weights' version from their manifest (same origin), read once. */
let shipped: Promise<string> | null = null;
const shippedVersion = (): Promise<string> =>
  (shipped ??= (async () => {
    const base = import.meta.env.BASE_URL.replace(/\/?$/, '/');
    const res = await fetch(new URL(`${base}weights/manifest.json`, self.location.origin + '/'));
    if (!res.ok) throw new Error(`weights/manifest.json: HTTP ${res.status}`);
    const m = (await res.json()) as { version?: unknown };
    if (typeof m.version !== 'string') throw new Error('weights/manifest.json: no version');
    return m.version;
  })().catch((e) => {
    shipped = null;
    throw e;
  }));

serveRpc<ExplorerMethods>(createExplorerHandlers({ openDb: () => openStudioDb(), shippedVersion }));
