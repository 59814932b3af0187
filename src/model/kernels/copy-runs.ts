// Strided block copies inside the tfjs wasm heap as one wasm loop of memory.copy (bulk memory), assembled
// like simd-matmul.ts: a concat writes each input as `count` runs of `runBytes`, `dstStride` bytes apart.
// From JS the same copies cost a call (copyWithin) or a typed-array loop per run, 2-3x the memory traffic.
//
// runs(dst, src, count, runBytes, dstStride): for r < count: copy runBytes from src + r*runBytes to
// dst + r*dstStride; count >= 1.
import { addTo, countDown, fnBody, get, I32, name, section, uleb, vec } from './simd-matmul';

const [DST, SRC, COUNT, RUN, STRIDE] = [0, 1, 2, 3, 4];
const MEMORY_COPY = [0xfc, ...uleb(10), 0x00, 0x00];

function runsBody(): number[] {
  return fnBody([], countDown(COUNT, 1, [
    ...get(DST), ...get(SRC), ...get(RUN), ...MEMORY_COPY,
    ...addTo(SRC, get(RUN)),
    ...addTo(DST, get(STRIDE)),
  ]));
}

export function copyRunsModuleBytes(sharedMemory: boolean): Uint8Array {
  const params = new Array(5).fill(I32);
  const types = vec([[0x60, ...uleb(params.length), ...params, 0]]);
  const limits = sharedMemory ? [0x03, ...uleb(1), ...uleb(65536)] : [0x00, ...uleb(1)];
  const imports = vec([[...name('env'), ...name('memory'), 0x02, ...limits]]);
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, types), ...section(2, imports), ...section(3, vec([[0]])), ...section(7, vec([[...name('runs'), 0x00, 0]])),
    ...section(10, vec([runsBody()])),
  ]);
}

export interface CopyRuns {
  runs(dst: number, src: number, count: number, runBytes: number, dstStride: number): void;
}

const instances = new WeakMap<WebAssembly.Memory, CopyRuns | null>();

/** The kernel bound to `memory`, or null where bulk memory (or the memory import) is unavailable. */
export function copyRunsFor(memory: WebAssembly.Memory): CopyRuns | null {
  if (instances.has(memory)) return instances.get(memory)!;
  let out: CopyRuns | null;
  try {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const mod = new WebAssembly.Module(copyRunsModuleBytes(shared) as BufferSource);
    out = new WebAssembly.Instance(mod, { env: { memory } }).exports as unknown as CopyRuns;
  } catch {
    out = null; // the caller copies from JS
  }
  instances.set(memory, out);
  return out;
}
