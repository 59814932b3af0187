// Strided block copies inside the tfjs wasm heap as one wasm loop of memory.copy (bulk memory), assembled
// like simd-matmul.ts: a concat writes each input as `count` runs of `runBytes`, `dstStride` bytes apart.
// From JS the same copies cost a call (copyWithin) or a typed-array loop per run, 2-3x the memory traffic.
//
// runs(dst, src, count, runBytes, dstStride): for r < count: copy runBytes from src + r*runBytes to
// dst + r*dstStride; count >= 1.
import { addTo, countDown, fnBody, get, uleb, memoryKernelBinder, memoryKernelModuleBytes } from './simd-matmul';

const [DST, SRC, COUNT, RUN, STRIDE] = [0, 1, 2, 3, 4];
const MEMORY_COPY = [0xfc, ...uleb(10), 0x00, 0x00];

function runsBody(): number[] {
  return fnBody([], countDown(COUNT, 1, [
    ...get(DST), ...get(SRC), ...get(RUN), ...MEMORY_COPY,
    ...addTo(SRC, get(RUN)),
    ...addTo(DST, get(STRIDE)),
  ]));
}

export const copyRunsModuleBytes = (sharedMemory: boolean): Uint8Array =>
  memoryKernelModuleBytes(5, [{ name: 'runs', body: runsBody() }], sharedMemory);

export interface CopyRuns {
  runs(dst: number, src: number, count: number, runBytes: number, dstStride: number): void;
}

/** The kernel bound to `memory`, or null where it cannot be compiled: the caller copies from JS. */
export const copyRunsFor = memoryKernelBinder<CopyRuns>(copyRunsModuleBytes);
