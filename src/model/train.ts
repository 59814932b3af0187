// One MEDBind training step over the named parameters: encode a batch of CXRs, ECGs and their texts,
// compute TMCL(cxr) + TMCL(ecg) (+ EMCL for variant BD), back-propagate, AdamW update. Deterministic for
// a given seed (initialisation and augmentation streams). Used by the Node pretraining CLI and by
// in-browser fine-tuning.
import * as tf from '@tensorflow/tfjs';
import { augmentCxr, augmentEcg } from './augment';
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

function checkBatch(c: MedbindConfig, b: TrainBatch): void {
  const cxrLen = c.cxr.sizePx * c.cxr.sizePx;
  const ecgLen = c.ecg.leads.length * c.ecg.nSamples;
  if (b.cxr && (b.cxr.pixels.length !== b.cxr.n * cxrLen || b.cxr.texts.length !== b.cxr.n)) throw new Error(`trainStep: cxr batch needs ${b.cxr.n} x ${cxrLen} pixels and ${b.cxr.n} texts`);
  if (b.ecg && (b.ecg.signals.length !== b.ecg.n * ecgLen || b.ecg.texts.length !== b.ecg.n)) throw new Error(`trainStep: ecg batch needs ${b.ecg.n} x ${ecgLen} samples and ${b.ecg.n} texts`);
  const m = b.paired ?? 0;
  if (m > 0 && (!b.cxr || !b.ecg || m > b.cxr.n || m > b.ecg.n)) throw new Error(`trainStep: paired=${m} exceeds the cxr/ecg batch`);
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

  /** Builds the loss; returns [total, tmclCxr, tmclEcg, emcl] scalars. Call inside a tape/tidy. */
  function lossTerms(b: TrainBatch, augment: boolean): tf.Scalar[] {
    const rng = augRng();
    const texts = [...(b.cxr?.texts ?? []), ...(b.ecg?.texts ?? [])];
    const tok = tokenizer.encodeBatch(texts, c.text.lengthBucket, c.text.maxTokens);
    const tAll = textForward(params, c, tf.tensor2d(tok.ids, [tok.n, tok.T], 'int32'));
    const zero = tf.scalar(0);
    let tc = zero;
    let te = zero;
    let em = zero;
    let zc: tf.Tensor2D | null = null;
    let ze: tf.Tensor2D | null = null;
    const side = c.cxr.sizePx;
    if (b.cxr && b.cxr.n > 0) {
      const px = augment ? augmentCxr(b.cxr.pixels, b.cxr.n, side, c.train.cxrMaxShiftPx, c.train.cxrIntensityJitter, rng) : b.cxr.pixels;
      zc = cxrForward(params, c, tf.tensor3d(px, [b.cxr.n, side, side]));
      tc = tmcl(tf.slice(tAll, [0, 0], [b.cxr.n, c.embedDim]), zc, textIdsOf(b.cxr.texts), c.tau);
    }
    if (b.ecg && b.ecg.n > 0) {
      const sig = augment ? augmentEcg(b.ecg.signals, c.train.ecgNoiseStdMv, rng) : b.ecg.signals;
      ze = ecgForward(params, c, tf.tensor3d(sig, [b.ecg.n, c.ecg.leads.length, c.ecg.nSamples]));
      const off = b.cxr?.n ?? 0;
      te = tmcl(tf.slice(tAll, [off, 0], [b.ecg.n, c.embedDim]), ze, textIdsOf(b.ecg.texts), c.tau);
    }
    const m = b.paired ?? 0;
    if (c.train.variant === 'BD' && m > 0 && zc && ze) {
      const n = Math.max(b.cxr!.n, b.ecg!.n);
      em = emcl(tf.slice(zc, [0, 0], [m, c.embedDim]), tf.slice(ze, [0, 0], [m, c.embedDim]), n, c.tau);
    }
    return [tf.addN([tc, te, em]) as tf.Scalar, tc, te, em];
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
