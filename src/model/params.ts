// The model's parameters as a flat, named map (no tf.layers): one list of specs per encoder, so that
// initialisation, saving, loading and the optimiser all walk the same names and shapes.
import * as tf from '@tensorflow/tfjs';
import { cxrGridSide, ecgTokens, type MedbindConfig } from './config';
import { makeNormal, makeRng, subSeed } from './rng';

export type Encoder = 'cxr' | 'ecg' | 'text';
export type ParamInit = 'normal' | 'zeros' | 'ones';

export interface ParamSpec {
  name: string;
  shape: number[];
  init: ParamInit;
  /** AdamW weight decay applies to matrices and embeddings, not to biases or LayerNorm gains. */
  decay: boolean;
}

export type ParamMap = Map<string, tf.Variable>;
/** Read-only view used by forward passes (variables during training, tensors at inference). */
export type Params = ReadonlyMap<string, tf.Tensor>;

function linear(specs: ParamSpec[], name: string, nIn: number, nOut: number): void {
  specs.push({ name: `${name}/w`, shape: [nIn, nOut], init: 'normal', decay: true });
  specs.push({ name: `${name}/b`, shape: [nOut], init: 'zeros', decay: false });
}

/** Conv weights [k, nIn, nOut] (tf.conv1d layout), initialised like the linear layers. */
function conv1d(specs: ParamSpec[], name: string, k: number, nIn: number, nOut: number): void {
  specs.push({ name: `${name}/w`, shape: [k, nIn, nOut], init: 'normal', decay: true });
  specs.push({ name: `${name}/b`, shape: [nOut], init: 'zeros', decay: false });
}

function layerNorm(specs: ParamSpec[], name: string, dim: number): void {
  specs.push({ name: `${name}/g`, shape: [dim], init: 'ones', decay: false });
  specs.push({ name: `${name}/b`, shape: [dim], init: 'zeros', decay: false });
}

function mlpBlock(specs: ParamSpec[], name: string, dim: number, ratio: number): void {
  layerNorm(specs, `${name}/ln`, dim);
  linear(specs, `${name}/fc1`, dim, dim * ratio);
  linear(specs, `${name}/fc2`, dim * ratio, dim);
}

function transformer(specs: ParamSpec[], prefix: string, dim: number, depth: number, mlpRatio: number): void {
  for (let i = 0; i < depth; i++) {
    const b = `${prefix}/block${i}`;
    layerNorm(specs, `${b}/ln1`, dim);
    linear(specs, `${b}/qkv`, dim, 3 * dim);
    linear(specs, `${b}/proj`, dim, dim);
    mlpBlock(specs, `${b}/mlp`, dim, mlpRatio);
  }
  layerNorm(specs, `${prefix}/lnf`, dim);
}

export function cxrSpecs(c: MedbindConfig): ParamSpec[] {
  const s: ParamSpec[] = [];
  const x = c.cxr;
  const d = x.stageDims;
  linear(s, 'cxr/patch', x.patchPx * x.patchPx, d[0]);
  layerNorm(s, 'cxr/patch/ln', d[0]);
  for (let i = 0; i < d.length; i++) {
    if (i > 0) {
      layerNorm(s, `cxr/stage${i}/merge/ln`, 4 * d[i - 1]);
      linear(s, `cxr/stage${i}/merge`, 4 * d[i - 1], d[i]);
    }
    if (i < d.length - 1) mlpBlock(s, `cxr/stage${i}/mlp`, d[i], x.stageMlpRatio);
  }
  const dim = d[d.length - 1];
  const side = cxrGridSide(x);
  s.push({ name: 'cxr/pos', shape: [side * side + 1, dim], init: 'normal', decay: false });
  s.push({ name: 'cxr/cls', shape: [1, dim], init: 'normal', decay: false });
  transformer(s, 'cxr/tf', dim, x.depth, x.mlpRatio);
  linear(s, 'cxr/head', dim, c.embedDim);
  return s;
}

export function ecgSpecs(c: MedbindConfig): ParamSpec[] {
  const s: ParamSpec[] = [];
  const e = c.ecg;
  if (e.stem === 'conv1d') {
    const ch = e.convChannels!;
    const ks = e.convKernels!;
    let cin = e.leads.length;
    ch.forEach((cout, i) => {
      conv1d(s, `ecg/conv${i}`, ks[i], cin, cout);
      layerNorm(s, `ecg/conv${i}/ln`, cout);
      layerNorm(s, `ecg/conv${i}/res/ln`, cout);
      conv1d(s, `ecg/conv${i}/res`, ks[i], cout, cout);
      cin = cout;
    });
    layerNorm(s, 'ecg/proj/ln', cin);
    linear(s, 'ecg/proj', cin, e.dim);
  } else {
    linear(s, 'ecg/patch', e.leads.length * e.patchSamples, e.stemDim);
    layerNorm(s, 'ecg/patch/ln', e.stemDim);
    mlpBlock(s, 'ecg/stem/mlp', e.stemDim, 2);
    layerNorm(s, 'ecg/merge/ln', e.mergeTokens * e.stemDim);
    linear(s, 'ecg/merge', e.mergeTokens * e.stemDim, e.dim);
  }
  s.push({ name: 'ecg/pos', shape: [ecgTokens(e) + 1, e.dim], init: 'normal', decay: false });
  s.push({ name: 'ecg/cls', shape: [1, e.dim], init: 'normal', decay: false });
  transformer(s, 'ecg/tf', e.dim, e.depth, e.mlpRatio);
  linear(s, 'ecg/head', e.dim, c.embedDim);
  return s;
}

export function textSpecs(c: MedbindConfig): ParamSpec[] {
  const s: ParamSpec[] = [];
  const t = c.text;
  if (!(t.vocabSize > 0)) throw new Error('model config: text.vocabSize must be set from the tokenizer');
  s.push({ name: 'text/tok', shape: [t.vocabSize, t.dim], init: 'normal', decay: true });
  s.push({ name: 'text/pos', shape: [t.maxTokens, t.dim], init: 'normal', decay: false });
  transformer(s, 'text/tf', t.dim, t.depth, t.mlpRatio);
  linear(s, 'text/head', t.dim, c.embedDim);
  return s;
}

export function paramSpecs(c: MedbindConfig, encoders: Encoder[] = ['cxr', 'ecg', 'text']): ParamSpec[] {
  const out: ParamSpec[] = [];
  if (encoders.includes('cxr')) out.push(...cxrSpecs(c));
  if (encoders.includes('ecg')) out.push(...ecgSpecs(c));
  if (encoders.includes('text')) out.push(...textSpecs(c));
  return out;
}

export function countParams(specs: ParamSpec[]): number {
  return specs.reduce((a, s) => a + s.shape.reduce((p, d) => p * d, 1), 0);
}

/** Deterministic initial values: each parameter draws from its own seeded stream (order-independent). */
export function initialValues(spec: ParamSpec, seed: number, std: number): Float32Array {
  const size = spec.shape.reduce((p, d) => p * d, 1);
  const v = new Float32Array(size);
  if (spec.init === 'ones') v.fill(1);
  else if (spec.init === 'normal') {
    const normal = makeNormal(makeRng(subSeed(seed, spec.name)));
    for (let i = 0; i < size; i++) {
      let z = normal();
      while (Math.abs(z) > 2) z = normal(); // truncated at 2 sd
      v[i] = z * std;
    }
  }
  return v;
}

export function createParams(c: MedbindConfig, seed: number, encoders?: Encoder[]): ParamMap {
  const map: ParamMap = new Map();
  for (const spec of paramSpecs(c, encoders)) {
    const values = initialValues(spec, seed, c.train.initStd);
    const init = tf.tensor(values, spec.shape, 'float32');
    map.set(spec.name, tf.variable(init, true));
    init.dispose();
  }
  return map;
}

export function disposeParams(p: ReadonlyMap<string, tf.Tensor>): void {
  for (const t of p.values()) t.dispose();
}
