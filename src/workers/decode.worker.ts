// A decode worker: parses and preprocesses dropped files for the engine worker's ingest (one item per
// call), so that decoding runs beside the encoder on another core. No model, no storage, no network:
// it reads only the Blobs it is handed. Served like every worker script, with the app's CSP.
import { serveRpc } from './rpc-worker';
import { loadItem } from '../formats/datasets/index';
import { preprocessCxr, preprocessEcg } from '../model/preprocess';
import { makeThumb } from './engine/thumb';
import { decodeHandlers } from './engine/pipeline/decode-handlers';
import type { DecodeMethods } from './engine/pipeline/decode-methods';

serveRpc<DecodeMethods>(decodeHandlers({ loadItem, preprocessEcg, preprocessCxr, makeThumb }), self as unknown as DedicatedWorkerGlobalScope);
