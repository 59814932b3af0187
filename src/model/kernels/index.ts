// Registers the training kernels that tfjs lacks or runs as scalar loops, for the cpu and wasm backends:
// UnsortedSegmentSum (embedding gradient), Conv2DBackpropFilter (im2col + matmul), a one-pass AdamW
// update and, on wasm, a
// BatchMatMul with SIMD batches and materialised transposes, GatherV2, Slice, SplitV and Concat as heap copies,
// Identity as a shared reference and Sum over leading axes as one pass down the rows.
// The stock kernels are kept so that they can be restored.
import * as tf from '@tensorflow/tfjs';
import { ADAMW_UPDATE, adamwUpdateKernelFunc } from './adamw-update';
import { makeTransposingBatchMatMul } from './batch-matmul';
import { makeConcatRuns } from './concat-runs';
import { makeConv2DBackpropFilter } from './conv2d-backprop-filter';
import { makeGatherRows } from './gather-rows';
import { makeSharedIdentity } from './shared-identity';
import { makeSliceRuns, makeSplitRuns } from './slice-runs';
import { makeLeadingSum } from './sum-leading';
import { unsortedSegmentSumKernelFunc } from './unsorted-segment-sum';

export type KernelBackend = 'cpu' | 'wasm';

const stock = new Map<string, tf.KernelConfig | null>();
const registered = new Set<string>();

function replace(kernelName: string, backendName: KernelBackend, make: (original: tf.KernelFunc | null) => tf.KernelFunc): void {
  const key = `${backendName}/${kernelName}`;
  if (registered.has(key)) return;
  const existing = tf.getKernel(kernelName, backendName) ?? null;
  stock.set(key, existing);
  if (existing) tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel({ kernelName, backendName, kernelFunc: make(existing ? existing.kernelFunc : null) });
  registered.add(key);
}

/** Idempotent. The wasm backend module must have been imported (its kernels registered) first. */
export function registerTrainingKernels(backendName: KernelBackend): void {
  replace('UnsortedSegmentSum', backendName, () => unsortedSegmentSumKernelFunc);
  replace('Conv2DBackpropFilter', backendName, () => makeConv2DBackpropFilter(backendName));
  replace(ADAMW_UPDATE, backendName, () => adamwUpdateKernelFunc);
  if (backendName === 'wasm') {
    replace('BatchMatMul', 'wasm', (original) => {
      if (!original) throw new Error('kernels: wasm BatchMatMul missing (import @tensorflow/tfjs-backend-wasm first)');
      return makeTransposingBatchMatMul(original);
    });
    replace('GatherV2', 'wasm', (original) => {
      if (!original) throw new Error('kernels: wasm GatherV2 missing (import @tensorflow/tfjs-backend-wasm first)');
      return makeGatherRows(original);
    });
    replace('Slice', 'wasm', (original) => {
      if (!original) throw new Error('kernels: wasm Slice missing (import @tensorflow/tfjs-backend-wasm first)');
      return makeSliceRuns(original);
    });
    replace('SplitV', 'wasm', (original) => {
      if (!original) throw new Error('kernels: wasm SplitV missing (import @tensorflow/tfjs-backend-wasm first)');
      return makeSplitRuns(original);
    });
    replace('Concat', 'wasm', (original) => {
      if (!original) throw new Error('kernels: wasm Concat missing (import @tensorflow/tfjs-backend-wasm first)');
      return makeConcatRuns(original);
    });
    replace('Identity', 'wasm', (original) => {
      if (!original) throw new Error('kernels: wasm Identity missing (import @tensorflow/tfjs-backend-wasm first)');
      return makeSharedIdentity(original);
    });
    replace('Sum', 'wasm', (original) => {
      if (!original) throw new Error('kernels: wasm Sum missing (import @tensorflow/tfjs-backend-wasm first)');
      return makeLeadingSum(original);
    });
  }
}

/** Puts the stock kernels back (used by parity tests and benchmarks). */
export function restoreStockKernels(backendName: KernelBackend): void {
  for (const key of [...registered]) {
    const [b, kernelName] = key.split('/') as [KernelBackend, string];
    if (b !== backendName) continue;
    tf.unregisterKernel(kernelName, b);
    const original = stock.get(key);
    if (original) tf.registerKernel(original);
    registered.delete(key);
    stock.delete(key);
  }
}

export function trainingKernelsRegistered(backendName: KernelBackend): string[] {
  return [...registered].filter((k) => k.startsWith(`${backendName}/`)).map((k) => k.split('/')[1]);
}
