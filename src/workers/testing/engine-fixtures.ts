// Shared fixtures for engine and client tests: real files from the shared data folder as dropped
// PageFiles, a broken PNG, and an Engine on fake-indexeddb with the projection model.
import { readFileSync } from 'node:fs';
import { openStudioDb } from '../../storage/db';
import type { BackendChoice, PageFile } from '../api';
import { realDeps } from '../engine/real-deps';
import { Engine, type EngineOptions } from '../engine/service';
import type { EngineEvent } from '../engine/methods';
import { projectionEncoders } from './projection-encoders';
import { SHARED_DATA_DIR } from '../../formats/testing';

const DATA = SHARED_DATA_DIR;
const page = (path: string, abs: string): PageFile => ({ path, file: new Blob([readFileSync(abs)]) });
export const ecgA = [page('drop/HR06009.hea', `${DATA}/cinc2021-sample/records/HR06009.hea`), page('drop/HR06009.mat', `${DATA}/cinc2021-sample/records/HR06009.mat`)];
export const ecgB = [page('drop/E07500.hea', `${DATA}/cinc2021-sample/records/E07500.hea`), page('drop/E07500.mat', `${DATA}/cinc2021-sample/records/E07500.mat`)];
export const cxrA = page('drop/IM-0036-0001.jpeg', `${DATA}/kermany-pediatric-cxr/images/test/NORMAL/IM-0036-0001.jpeg`);
export const broken: PageFile = { path: 'drop/broken.png', file: new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])]) };

let seq = 0;
export function makeEngine(over: Partial<EngineOptions> & { version?: string; dbName?: string } = {}) {
  const events: EngineEvent[] = [];
  const dbName = over.dbName ?? `engine-test-${Date.now()}-${seq++}`;
  const encoders = projectionEncoders(over.version ?? 'v1');
  const choices: BackendChoice[] = [];
  const engine = new Engine({
    openDb: () => openStudioDb({ name: dbName }),
    deps: realDeps,
    forced: null,
    loadModel: async (choice, _db, active) => {
      choices.push(choice);
      // A switched active version gets its own (different) projection space.
      const enc = active && active !== encoders.version ? projectionEncoders(active, 16, active.length + 7) : encoders;
      return { info: { backend: 'cpu', adapter: null, reason: 'test' }, encoders: enc };
    },
    fetchAsset: async (p) => {
      throw new Error(`no asset ${p}`);
    },
    estimate: async () => ({ usageBytes: 123, quotaBytes: 456 }),
    emit: (e) => events.push(e),
    batchSize: 2,
    ...over,
  });
  return { engine, events, encoders, dbName, choices };
}

