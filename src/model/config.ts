// Model configuration as typed data: sizes, input shapes, lead order, tokenizer and training settings.
// The JSON in configs/ is the source of truth; this module only types it and checks its consistency.
import defaultJson from './configs/default.json';

export interface TransformerConfig {
  dim: number;
  depth: number;
  heads: number;
  mlpRatio: number;
}

export interface CxrConfig {
  sizePx: number;
  /** Non-overlapping square patches of patchPx x patchPx pixels form the first token grid. */
  patchPx: number;
  /** Channel width per stage; each stage after the first halves the grid with a 2x2 patch merge. */
  stageDims: number[];
  stageMlpRatio: number;
  depth: number;
  heads: number;
  mlpRatio: number;
}

export interface EcgConfig {
  leads: string[];
  fsHz: number;
  nSamples: number;
  /**
   * 'patch': linear patches of patchSamples samples, merged by mergeTokens. 'conv1d': a residual 1-D
   * convolutional stem (per stage: conv -> LN -> GELU -> average pooling by convPools[i] -> a pre-norm
   * residual conv), whose time steps are the transformer tokens (1000 / (2*2*5) = 50 by default).
   */
  stem?: 'patch' | 'conv1d';
  /** Output channels of each conv1d stage. */
  convChannels?: number[];
  /** Kernel width (samples) of each conv1d stage. */
  convKernels?: number[];
  /** Average-pooling factor (time) of each conv1d stage. */
  convPools?: number[];
  /** Samples (of all leads) per time token of the patch stem. */
  patchSamples: number;
  stemDim: number;
  /** Adjacent stem tokens merged into one transformer token. */
  mergeTokens: number;
  dim: number;
  depth: number;
  heads: number;
  mlpRatio: number;
}

export interface TextConfig {
  maxWords: number;
  /** maxWords + 1 ([CLS]). */
  maxTokens: number;
  /** Token sequences are padded to a multiple of this (capped at maxTokens), so few shapes occur. */
  lengthBucket: number;
  minCount: number;
  maxVocab: number;
  /** Set from the tokenizer vocabulary when the model is built. */
  vocabSize: number;
  dim: number;
  depth: number;
  heads: number;
  mlpRatio: number;
}

export interface TrainConfig {
  variant: 'BD' | 'NM';
  peakLr: number;
  warmupSteps: number;
  totalSteps: number;
  minLrFrac: number;
  weightDecay: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  initStd: number;
  ecgNoiseStdMv: number;
  /** ECG amplitude scaling: each record is multiplied by a factor in [1 - x, 1 + x]. */
  ecgScaleJitter?: number;
  /** Peak amplitude (mV) of the random baseline wander (a 0.05-0.5 Hz sinusoid per lead). */
  ecgWanderMv?: number;
  /** Probability that one lead of a record is zeroed. */
  ecgLeadDropout?: number;
  /** Probability that a record keeps only a random window of ecgCropSeconds (zero elsewhere). */
  ecgCropProb?: number;
  /** [min, max] length of that window in seconds. */
  ecgCropSeconds?: [number, number];
  /** Maximum rotation (degrees) and zoom (fraction) of the CXR affine augmentation (no flips). */
  cxrMaxRotateDeg?: number;
  cxrMaxZoom?: number;
  cxrMaxShiftPx: number;
  cxrIntensityJitter: number;
}

export interface MedbindConfig {
  name: string;
  embedDim: number;
  tau: number;
  cxr: CxrConfig;
  ecg: EcgConfig;
  text: TextConfig;
  train: TrainConfig;
}

/** Token grid side after the CXR stages: sizePx / patchPx / 2^(stages-1). */
export function cxrGridSide(c: CxrConfig): number {
  return c.sizePx / c.patchPx / 2 ** (c.stageDims.length - 1);
}

export function ecgTokens(c: EcgConfig): number {
  if (c.stem === 'conv1d') return c.nSamples / (c.convPools ?? []).reduce((a, b) => a * b, 1);
  return c.nSamples / c.patchSamples / c.mergeTokens;
}

/** Throws with the offending field when a configuration cannot build a model. */
export function validateConfig(c: MedbindConfig): MedbindConfig {
  const bad = (m: string) => {
    throw new Error(`model config: ${m}`);
  };
  if (!(c.embedDim > 0) || !(c.tau > 0)) bad('embedDim and tau must be positive');
  const side = cxrGridSide(c.cxr);
  if (!Number.isInteger(side) || side < 1) bad(`cxr.sizePx ${c.cxr.sizePx} does not divide into patches/stages`);
  if (c.cxr.stageDims[c.cxr.stageDims.length - 1] % c.cxr.heads) bad('cxr last stage dim must divide by heads');
  if (c.ecg.stem === 'conv1d') {
    const ch = c.ecg.convChannels ?? [];
    const ks = c.ecg.convKernels ?? [];
    const pools = c.ecg.convPools ?? [];
    if (ch.length < 1 || ks.length !== ch.length || pools.length !== ch.length) bad('ecg.convChannels, convKernels and convPools need one entry per stage');
    if (pools.some((q) => !Number.isInteger(q) || q < 1)) bad('ecg.convPools must be positive integers');
    if (ks.some((k) => !Number.isInteger(k) || k < 1 || k % 2 === 0)) bad('ecg.convKernels must be odd positive integers');
    if (!Number.isInteger(ecgTokens(c.ecg))) bad(`ecg.nSamples must divide by the product of convPools [${pools}]`);
  } else if (!Number.isInteger(ecgTokens(c.ecg))) bad('ecg.nSamples must divide by patchSamples * mergeTokens');
  if (c.ecg.dim % c.ecg.heads) bad('ecg.dim must divide by heads');
  if (c.text.dim % c.text.heads) bad('text.dim must divide by heads');
  if (c.text.maxTokens < c.text.maxWords + 1) bad('text.maxTokens must be >= maxWords + 1');
  if (c.ecg.leads.length < 1) bad('ecg.leads is empty');
  return c;
}

/** A deep copy of the default configuration (callers may edit it, e.g. vocabSize). */
export function defaultConfig(): MedbindConfig {
  return validateConfig(JSON.parse(JSON.stringify(defaultJson)) as MedbindConfig);
}
