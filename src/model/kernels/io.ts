// Backend-neutral access to tensor storage inside a kernel, for the cpu backend (JS arrays) and the wasm
// backend (views on the wasm heap), so one kernel body serves both.
import type * as tf from '@tensorflow/tfjs';

type TensorInfo = tf.TensorInfo;
type DataType = tf.DataType;
export type Values = Float32Array | Int32Array;

interface WasmLike {
  readSync(dataId: object): unknown;
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Values;
  disposeData(dataId: object): boolean;
}
interface CpuLike {
  readSync(dataId: object): unknown;
  makeTensorInfo(shape: number[], dtype: DataType, values: Values): TensorInfo;
  disposeIntermediateTensorInfo(t: TensorInfo): void;
}

export interface KernelIo {
  kind: 'wasm' | 'cpu';
  read(t: TensorInfo): Values;
  /** A new backend tensor holding a copy of values. */
  make(shape: number[], dtype: 'float32' | 'int32', values: Values): TensorInfo;
  /** A new zero-initialised backend tensor and a writable view of it (valid until the next allocation). */
  alloc(shape: number[], dtype: 'float32' | 'int32'): { info: TensorInfo; view: () => Values };
  dispose(t: TensorInfo): void;
}

export function kernelIo(backend: unknown): KernelIo {
  const b = backend as Partial<WasmLike & CpuLike>;
  if (typeof b.typedArrayFromHeap === 'function' && typeof b.makeOutput === 'function') {
    const w = backend as WasmLike;
    const alloc = (shape: number[], dtype: 'float32' | 'int32') => {
      const info = w.makeOutput(shape, dtype);
      const view = () => w.typedArrayFromHeap(info);
      view().fill(0);
      return { info, view };
    };
    return {
      kind: 'wasm',
      read: (t) => w.readSync(t.dataId) as Values,
      make: (shape, dtype, values) => {
        const a = alloc(shape, dtype);
        a.view().set(values);
        return a.info;
      },
      alloc,
      dispose: (t) => void w.disposeData(t.dataId),
    };
  }
  if (typeof b.makeTensorInfo === 'function') {
    const c = backend as CpuLike;
    return {
      kind: 'cpu',
      read: (t) => c.readSync(t.dataId) as Values,
      make: (shape, dtype, values) => c.makeTensorInfo(shape, dtype, dtype === 'int32' ? Int32Array.from(values) : Float32Array.from(values)),
      alloc: (shape, dtype) => {
        const size = shape.reduce((p, d) => p * d, 1);
        const values = dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
        const info = c.makeTensorInfo(shape, dtype, values);
        return { info, view: () => values };
      },
      dispose: (t) => c.disposeIntermediateTensorInfo(t),
    };
  }
  throw new Error('kernels: backend is neither cpu nor wasm');
}

export const sizeOf = (shape: number[]) => shape.reduce((p, d) => p * d, 1);
