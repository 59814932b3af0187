// The engine worker: parses untrusted files, runs the model, keeps the library in IndexedDB, owns the
// active model version and the library's vectors, and answers searches. It tells the other tabs' engines
// of every library or version change (BroadcastChannel). The page talks to it only through client.ts.
import { serveRpc, type RpcServer } from './rpc-worker';
import { openStudioDb } from '../storage/db';
import { storageEstimate } from '../storage/quota';
import { Engine } from './engine/service';
import { broadcastLibraryChannel } from './engine/library-channel';
import { engineHandlers } from './engine/handlers';
import { realDeps } from './engine/real-deps';
import { startBrowserDecoders } from './engine/pipeline/browser-decoders';
import { loadBrowserModel, originWeights } from './engine/runtime';
import { parseBackendParam, type EngineMethods } from './engine/methods';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const baseUrl = import.meta.env.BASE_URL;
const origin = scope.location.origin;

/** Same-origin fetch of an app asset (demo files); anything else is refused. */
async function fetchAsset(path: string): Promise<Blob> {
  const url = new URL(`${baseUrl.replace(/\/?$/, '/')}${path}`, origin + '/');
  if (url.origin !== origin) throw new Error(`${path}: not on the app's origin`);
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url.pathname}: HTTP ${res.status}`);
  return res.blob();
}

let server: RpcServer | null = null;

const engine = new Engine({
  openDb: () => openStudioDb(),
  deps: realDeps,
  startDecoders: startBrowserDecoders,
  forced: parseBackendParam(scope.name),
  loadModel: (choice, db, active) =>
    loadBrowserModel(choice, db, active, { onDeviceLost: (reason) => server?.deviceLost(reason) }, originWeights(baseUrl, origin)),
  fetchAsset,
  estimate: () => storageEstimate(),
  emit: (e) => server?.emit(e),
  channel: broadcastLibraryChannel(),
  log: (level, message) => server?.log(level, message),
});

server = serveRpc<EngineMethods>(engineHandlers(engine), scope);
