// The engine worker's handler table: StudioApi calls mapped onto Engine, with big buffers transferred.
import type { Handlers } from '../rpc-worker';
import { withTransfer } from '../protocol';
import type { EngineMethods } from './methods';
import type { Engine } from './service';

export function engineHandlers(engine: Engine): Handlers<EngineMethods> {
  return {
    backend: () => engine.backend(),
    saveBackendChoice: ({ choice }) => engine.saveBackendChoice(choice),
    ingest: ({ files }, ctx) => engine.ingest(files, ctx.signal, ctx.progress),
    loadDemo: (_p, ctx) => engine.loadDemo(ctx.signal, ctx.progress),
    stats: () => engine.stats(),
    clearLibrary: () => engine.clearLibrary(),
    searchFiles: ({ files, k }) => engine.searchFiles(files, k),
    searchText: ({ text, k }) => engine.searchText(text, k),
    getEcg: async ({ id }) => {
      const ecg = await engine.getEcg(id);
      return withTransfer(ecg, ecg.leadsMv.map((l) => l.buffer as ArrayBuffer));
    },
    getThumb: ({ id }) => engine.getThumb(id),
    embedText: async ({ text }) => {
      const v = await engine.embedText(text);
      return withTransfer(v, [v.buffer as ArrayBuffer]);
    },
    activeVersion: () => engine.activeVersion(),
    activateVersion: ({ version }, ctx) => engine.activateVersion(version, ctx.signal, ctx.progress),
    interruptedJobs: () => engine.interruptedJobs(),
    importEmbeddings: ({ files }) => engine.importEmbeddings(files),
  };
}
