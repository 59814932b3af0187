// The lab's clinical-prediction behaviour behind the worker handlers (free of worker globals, runs in
// Node tests): options for the page, one run at a time with its own pause / resume / cancel gate, saved
// predictors.
import { TrainGate, controlGate } from '../../../model/finetune/gate';
import type { StudioDb } from '../../../storage/db';
import { allItems } from '../../../storage/items';
import { deleteVersion, getVersion } from '../../../storage/versions';
import type { Progress } from '../../api';
import type { ModelHost } from '../model-host';
import type { CallCtx } from '../service';
import { activeVersionId } from '../../../storage/active-version';
import { modalityInfo } from './items';
import { runClinical } from './job';
import type { ClinicalOptions, ClinicalOutcome, ClinicalProgress, ClinicalRunSpec, PredictorSummary } from './methods';
import { applySaved, isPredictorVersion, listPredictors } from './predictors';
import { badInput } from '../../shared/errors';

const SAMPLES_PER_DATASET = 3;

export class ClinicalLab {
  private gate: TrainGate | null = null;

  constructor(private readonly db: () => Promise<StudioDb>, private readonly host: ModelHost) {}

  private async activeModel() {
    const db = await this.db();
    return this.host.model(await activeVersionId(db, await this.host.shippedVersion()));
  }

  async options(): Promise<ClinicalOptions> {
    const items = await allItems(await this.db());
    const seen = new Map<string, number>();
    const samples = items.filter((it) => {
      const k = `${it.modality}|${it.dataset}`;
      const n = seen.get(k) ?? 0;
      seen.set(k, n + 1);
      return n < SAMPLES_PER_DATASET;
    });
    return { modalities: modalityInfo(items), samples: samples.map((it) => ({ id: it.id, modality: it.modality, dataset: it.dataset, labels: it.labels, meta: it.meta })) };
  }

  async run(spec: ClinicalRunSpec, ctx: CallCtx<ClinicalProgress>): Promise<ClinicalOutcome> {
    if (this.gate) throw badInput('a clinical-prediction run is already in progress');
    const gate = new TrainGate();
    this.gate = gate;
    try {
      return await runClinical(spec, { db: await this.db(), model: await this.activeModel(), gate, signal: ctx.signal, progress: ctx.progress });
    } finally {
      this.gate = null;
    }
  }

  control(action: 'pause' | 'resume' | 'cancel') {
    return controlGate(this.gate, action);
  }

  async predictors(): Promise<PredictorSummary[]> {
    return listPredictors(await this.db());
  }

  async apply(id: string, limit: number, ctx: CallCtx<Progress>) {
    return applySaved(await this.db(), id, limit, (v) => this.host.model(v), ctx);
  }

  async remove(id: string): Promise<PredictorSummary[]> {
    const db = await this.db();
    const v = await getVersion(db, id);
    if (!v || !isPredictorVersion(v)) throw badInput(`no saved clinical predictor "${id}"`);
    await deleteVersion(db, id);
    return this.predictors();
  }
}
