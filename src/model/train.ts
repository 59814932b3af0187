// One MEDBind training step over the named parameters: encode a batch of CXRs, ECGs and their texts,
// compute TMCL(cxr) + TMCL(ecg) (+ EMCL for variant BD), back-propagate, AdamW update. Deterministic for
// a given seed (initialisation and augmentation streams). Used by the Node pretraining CLI and by
// in-browser fine-tuning.
import * as tf from '@tensorflow/tfjs';
import { augmentCxrAffine, augmentEcgRecords } from './augment';
import type { MedbindConfig } from './config';
import { cxrForward } from './encoders/cxr';
import { ecgForward } from './encoders/ecg';
import { textForward } from './encoders/text';
import { emcl, textIdsOf, tmcl } from './losses';
import { AdamW, lrAt, type AdamWState } from './optimizer';
import { createParams, disposeParams, paramSpecs, type Encoder, type ParamMap } from './params';
import { makeRng, subSeed } from './rng';
import type { Tokenizer } from './tokenizer';

export interface TrainBatch {
  /** pixels [n, sizePx*sizePx] preprocessed; texts[i] is the report of image i. */
  cxr?: { pixels: Float32Array; n: number; texts: string[] };
  /** signals [n, leads*nSamples] lead-major preprocessed; texts[i] is the report of ECG i. */
  ecg?: { signals: Float32Array; n: number; texts: string[] };
  /** Rows 0..paired-1 of cxr and ecg are CXR-ECG pairs (EMCL). 0 or absent: no pairs. */
  paired?: number;
}

export interface LossParts {
  step: number;
  lr: number;
  total: number;
  tmclCxr: number;
  tmclEcg: number;
  emcl: number;
  ms: number;
}

export interface TrainerState {
  step: number;
  seed: number;
  params: Record<string, Float32Array>;
  optimizer: AdamWState;
}

export interface Trainer {
  readonly config: MedbindConfig;
  readonly tokenizer: Tokenizer;
  readonly params: ParamMap;
  /** Number of completed steps. */
  readonly step: number;
  trainStep(batch: TrainBatch): Promise<LossParts>;
  /** Loss without an update or augmentation (validation). */
  evalLoss(batch: TrainBatch): Promise<Omit<LossParts, 'lr'>>;
  /** The batch with the current step's augmentation (what trainStep would encode). */
  augmentBatch(batch: TrainBatch): TrainBatch;
  /**
   * One AdamW update from gradients computed elsewhere (data-parallel training), keyed by parameter name;
   * only trainable parameters change. Advances the step; returns the completed step and the lr used.
   */
  applyGradients(grads: Record<string, tf.Tensor>): { step: number; lr: number };
  exportState(): Promise<TrainerState>;
  importState(state: TrainerState): void;
  dispose(): void;
}

export interface TrainerOptions {
  /** Starting values (e.g. loaded weights); missing names are initialised from the seed. */
  initial?: ReadonlyMap<string, tf.Tensor>;
  /** Only these parameters are updated (default: all). */
  trainable?: (name: string) => boolean;
  augment?: boolean;
}

export function checkBatch(c: MedbindConfig, b: TrainBatch): void {
  const cxrLen = c.cxr.sizePx * c.cxr.sizePx;
  const ecgLen = c.ecg.leads.length * c.ecg.nSamples;
  if (b.cxr && (b.cxr.pixels.length !== b.cxr.n * cxrLen || b.cxr.texts.length !== b.cxr.n)) throw new Error(`trainStep: cxr batch needs ${b.cxr.n} x ${cxrLen} pixels and ${b.cxr.n} texts`);
  if (b.ecg && (b.ecg.signals.length !== b.ecg.n * ecgLen || b.ecg.texts.length !== b.ecg.n)) throw new Error(`trainStep: ecg batch needs ${b.ecg.n} x ${ecgLen} samples and ${b.ecg.n} texts`);
  const m = b.paired ?? 0;
  if (m > 0 && (!b.cxr || !b.ecg || m > b.cxr.n || m > b.ecg.n)) throw new Error(`trainStep: paired=${m} exceeds the cxr/ecg batch`);
}

/** L2-normalised embeddings of one batch: texts and images of the CXR rows, texts and signals of the ECG rows, [n, embedDim]. */
export interface BatchEmbeddings {
  tCxr: tf.Tensor2D | null;
  zCxr: tf.Tensor2D | null;
  tEcg: tf.Tensor2D | null;
  zEcg: tf.Tensor2D | null;
}

/**
 * The MEDBind loss from a batch's embeddings: TMCL(cxr) + TMCL(ecg) with identical-text positives over the
 * whole batch, plus EMCL on the paired rows (variant BD). Returns [total, tmclCxr, tmclEcg, emcl] scalars.
 * Call inside a tape/tidy; differentiable in the embeddings (data-parallel training uses that).
 */
export function lossFromEmbeddings(c: MedbindConfig, b: TrainBatch, e: BatchEmbeddings): tf.Scalar[] {
  const zero = tf.scalar(0);
  let tc = zero;
  let te = zero;
  let em = zero;
  if (b.cxr && b.cxr.n > 0 && e.tCxr && e.zCxr) tc = tmcl(e.tCxr, e.zCxr, textIdsOf(b.cxr.texts), c.tau);
  if (b.ecg && b.ecg.n > 0 && e.tEcg && e.zEcg) te = tmcl(e.tEcg, e.zEcg, textIdsOf(b.ecg.texts), c.tau);
  const m = b.paired ?? 0;
  if (c.train.variant === 'BD' && m > 0 && e.zCxr && e.zEcg) {
    const n = Math.max(b.cxr!.n, b.ecg!.n);
    em = emcl(tf.slice(e.zCxr, [0, 0], [m, c.embedDim]), tf.slice(e.zEcg, [0, 0], [m, c.embedDim]), n, c.tau);
  }
  return [tf.addN([tc, te, em]) as tf.Scalar, tc, te, em];
}

export function createTrainer(config: MedbindConfig, seed: number, tokenizer: Tokenizer, opts: TrainerOptions = {}): Trainer {
  const c: MedbindConfig = { ...config, text: { ...config.text, vocabSize: tokenizer.vocabSize } };
  const encoders: Encoder[] = ['cxr', 'ecg', 'text'];
  const specs = paramSpecs(c, encoders);
  const params = createParams(c, seed, encoders);
  if (opts.initial) {
    for (const [name, t] of opts.initial) {
      const v = params.get(name);
      if (v && t.shape.join() === v.shape.join()) v.assign(t);
    }
  }
  const trainableNames = specs.map((s) => s.name).filter((n) => (opts.trainable ? opts.trainable(n) : true));
  const optimizer = new AdamW(params, specs.filter((s) => trainableNames.includes(s.name)), c.train);
  let step = 0;
  let augSeed = seed;
  const augRng = () => makeRng(subSeed(augSeed, `augment/${step}`));

  /** The batch with this step's augmentation applied (CXR affine/contrast first, then the ECG transforms). */
  function augmentBatch(b: TrainBatch): TrainBatch {
    const rng = augRng();
    const side = c.cxr.sizePx;
    const t = c.train;
    const cxrOpts = { maxShiftPx: t.cxrMaxShiftPx, jitter: t.cxrIntensityJitter, maxRotateDeg: t.cxrMaxRotateDeg ?? 0, maxZoom: t.cxrMaxZoom ?? 0 };
    const ecgOpts = {
      leads: c.ecg.leads.length,
      nSamples: c.ecg.nSamples,
      fsHz: c.ecg.fsHz,
      noiseStdMv: t.ecgNoiseStdMv,
      scaleJitter: t.ecgScaleJitter ?? 0,
      wanderMv: t.ecgWanderMv ?? 0,
      leadDropout: t.ecgLeadDropout ?? 0,
      cropProb: t.ecgCropProb ?? 0,
      cropSeconds: t.ecgCropSeconds ?? [c.ecg.nSamples / c.ecg.fsHz, c.ecg.nSamples / c.ecg.fsHz],
    };
    const cxr = b.cxr && b.cxr.n > 0 ? { ...b.cxr, pixels: augmentCxrAffine(b.cxr.pixels, b.cxr.n, side, cxrOpts, rng) } : b.cxr;
    const ecg = b.ecg && b.ecg.n > 0 ? { ...b.ecg, signals: augmentEcgRecords(b.ecg.signals, b.ecg.n, ecgOpts, rng) } : b.ecg;
    return { ...b, cxr, ecg };
  }

  /** Builds the loss; returns [total, tmclCxr, tmclEcg, emcl] scalars. Call inside a tape/tidy. */
  function lossTerms(batch: TrainBatch, augment: boolean): tf.Scalar[] {
    const b = augment ? augmentBatch(batch) : batch;
    const texts = [...(b.cxr?.texts ?? []), ...(b.ecg?.texts ?? [])];
    const tok = tokenizer.encodeBatch(texts, c.text.lengthBucket, c.text.maxTokens);
    const tAll = textForward(params, c, tf.tensor2d(tok.ids, [tok.n, tok.T], 'int32'));
    const side = c.cxr.sizePx;
    const nc = b.cxr?.n ?? 0;
    const ne = b.ecg?.n ?? 0;
    return lossFromEmbeddings(c, b, {
      tCxr: nc > 0 ? tf.slice(tAll, [0, 0], [nc, c.embedDim]) : null,
      zCxr: nc > 0 ? cxrForward(params, c, tf.tensor3d(b.cxr!.pixels, [nc, side, side])) : null,
      tEcg: ne > 0 ? tf.slice(tAll, [nc, 0], [ne, c.embedDim]) : null,
      zEcg: ne > 0 ? ecgForward(params, c, tf.tensor3d(b.ecg!.signals, [ne, c.ecg.leads.length, c.ecg.nSamples])) : null,
    });
  }

  async function readParts(terms: tf.Scalar[]): Promise<number[]> {
    try {
      return await Promise.all(terms.map(async (t) => (await t.data())[0]));
    } finally {
      terms.forEach((t) => t.dispose());
    }
  }

  return {
    config: c,
    tokenizer,
    params,
    get step() {
      return step;
    },
    async trainStep(b) {
      checkBatch(c, b);
      const t0 = performance.now();
      const lr = lrAt(step, c.train);
      const vars = trainableNames.map((n) => params.get(n)!);
      const terms = tf.tidy(() => {
        let kept: tf.Scalar[] = [];
        const { grads } = tf.variableGrads(() => {
          kept = lossTerms(b, opts.augment !== false);
          kept.forEach((t) => tf.keep(t));
          return kept[0];
        }, vars);
        const byParam: Record<string, tf.Tensor> = {};
        trainableNames.forEach((name, i) => {
          const g = grads[vars[i].name];
          if (g) byParam[name] = g;
        });
        optimizer.apply(byParam, lr);
        return kept;
      });
      const [total, tmclCxr, tmclEcg, em] = await readParts(terms);
      step += 1;
      return { step, lr, total, tmclCxr, tmclEcg, emcl: em, ms: performance.now() - t0 };
    },
    async evalLoss(b) {
      checkBatch(c, b);
      const t0 = performance.now();
      const terms = tf.tidy(() => lossTerms(b, false));
      const [total, tmclCxr, tmclEcg, em] = await readParts(terms);
      return { step, total, tmclCxr, tmclEcg, emcl: em, ms: performance.now() - t0 };
    },
    augmentBatch,
    applyGradients(grads) {
      const lr = lrAt(step, c.train);
      const byParam: Record<string, tf.Tensor> = {};
      for (const name of trainableNames) if (grads[name]) byParam[name] = grads[name];
      optimizer.apply(byParam, lr);
      step += 1;
      return { step, lr };
    },
    async exportState() {
      const out: Record<string, Float32Array> = {};
      for (const [k, v] of params) out[k] = (await v.data()) as Float32Array;
      return { step, seed: augSeed, params: out, optimizer: await optimizer.exportState() };
    },
    importState(s) {
      tf.tidy(() => {
        for (const [k, v] of params) if (s.params[k]) v.assign(tf.tensor(s.params[k], v.shape));
      });
      optimizer.importState(s.optimizer);
      step = s.step;
      augSeed = s.seed;
    },
    dispose() {
      optimizer.dispose();
      disposeParams(params);
    },
  };
}
