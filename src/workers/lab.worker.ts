// The lab worker: zero-shot and cross-modal classification, linear probes, local fine-tuning and model
// versions (validated, trained and saved here; the engine worker activates them and re-embeds), on its
// own tfjs backend so training never blocks search. The page talks to it only through lab-client.ts.
import { serveRpc, type RpcServer } from './rpc-worker';
import { initBackend } from '../model/backend';
import { loadWeights } from '../model/load';
import { CODE_PREPROCESSING } from '../model/preprocessing-check';
import { openStudioDb, type StudioDb } from '../storage/db';
import { getSetting } from '../storage/settings';
import { getVersion } from '../storage/versions';
import type { BackendInfo } from './api';
import { parseBackendParam } from './engine/methods';
import { originWeights } from './engine/runtime';
import { labHandlers } from './lab/handlers';
import { VersionHost } from './lab/host';
import type { LabMethods } from './lab/methods';
import { Lab } from './lab/service';
import { lazyDb } from './shared/lazy-db';
import { watchDeviceLoss } from './shared/device';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const baseUrl = import.meta.env.BASE_URL;
const forced = parseBackendParam(scope.name);

let server: RpcServer | null = null;
// A failed open is retried on the next call (a blocked upgrade in another tab is not forever).
const db = lazyDb<StudioDb>(() => openStudioDb());

let backendP: Promise<BackendInfo> | null = null;
function backend(): Promise<BackendInfo> {
  backendP ??= (async () => {
    const choice = forced ?? (await getSetting(await db(), 'backendChoice')) ?? 'auto';
    const init = await initBackend(choice);
    const info: BackendInfo = { backend: init.backend, adapter: init.adapter, reason: init.reason, forced: choice !== 'auto' };
    if (init.backend === 'webgpu') watchDeviceLoss((reason) => server?.deviceLost(reason));
    server?.emit({ type: 'backend', info });
    return info;
  })().catch((e) => {
    backendP = null;
    throw e;
  });
  return backendP;
}

const host = new VersionHost(
  async () => {
    await backend();
    return loadWeights(originWeights(baseUrl, scope.location.origin), { preprocessing: CODE_PREPROCESSING });
  },
  async (id) => getVersion(await db(), id),
);

const lab = new Lab({ openDb: db, host, backend, emit: (e) => server?.emit(e) });
server = serveRpc<LabMethods>(labHandlers(lab), scope);
