// The lab worker's handler table: LabMethods mapped onto Lab.
import type { Handlers } from '../rpc-worker';
import type { LabMethods } from './methods';
import type { Lab } from './service';

export function labHandlers(lab: Lab): Handlers<LabMethods> {
  return {
    backend: () => lab.backend(),
    labelColumns: () => lab.labelColumns(),
    listItems: (p) => lab.listItems(p),
    defaultPromptSets: () => lab.defaultPromptSets(),
    savedPromptSets: () => lab.savedPromptSets(),
    savePromptSet: ({ set }) => lab.savePromptSet(set),
    deletePromptSet: ({ id }) => lab.deletePromptSet(id),
    zeroShotItem: (p) => lab.zeroShotItem(p),
    zeroShotRun: (p, ctx) => lab.zeroShotRun(p, ctx),
    crossModal: (p, ctx) => lab.crossModal(p, ctx),
    probe: (p, ctx) => lab.probe(p, ctx),
    finetune: (p, ctx) => lab.finetune(p, ctx),
    finetuneControl: ({ action }) => lab.finetuneControl(action),
    listVersions: () => lab.listVersions(),
    compareVersions: (p, ctx) => lab.compareVersions(p, ctx),
    exportVersion: ({ id }) => lab.exportVersion(id),
    importVersion: ({ files }) => lab.importVersion(files),
    deleteVersion: ({ id }) => lab.deleteVersion(id),
    matchPairs: ({ source }) => lab.matchPairs(source),
    bind: (p, ctx) => lab.bind(p, ctx),
    clinicalOptions: () => lab.clinical.options(),
    clinicalRun: (p, ctx) => lab.clinical.run(p, ctx),
    clinicalControl: ({ action }) => lab.clinical.control(action),
    clinicalPredictors: () => lab.clinical.predictors(),
    clinicalApply: ({ id, limit }, ctx) => lab.clinical.apply(id, limit, ctx),
    clinicalDelete: ({ id }) => lab.clinical.remove(id),
  };
}
