// Entry of the explorer worker: projections (PCA, UMAP, t-SNE), neighbours and exports off the main
// thread, answering the typed calls of src/workers/explorer/methods.ts.
import { openStudioDb } from '../storage/db';
import { serveRpc } from './rpc-worker';
import type { ExplorerMethods } from './explorer/methods';
import { createExplorerHandlers } from './explorer/service';

serveRpc<ExplorerMethods>(createExplorerHandlers({ openDb: () => openStudioDb() }));
