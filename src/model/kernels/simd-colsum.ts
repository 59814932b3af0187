// Column sums of a row-major float32 matrix in the tfjs wasm heap (the bias gradient: Sum over the
// leading axes), assembled byte by byte like simd-matmul.ts: 16 columns at a time in four 128-bit
// accumulators walking down the rows, then 4 at a time; summed in row order in float32 as the stock kernel.
//
// colsum(x, out, rows, cols): out[c] = sum over r of x[r * cols + c]; pointers in bytes, rows >= 1,
// cols a multiple of 4.
import { addTo, countDown, fnBody, get, I32, i32c, name, OP, S, section, set, simd, uleb, V128, vec, vload, vstore, zeroV } from './simd-matmul';

const [X, OUT, ROWS, COLS] = [0, 1, 2, 3];
const [J, R, P, STRIDE, LIM, CP] = [4, 5, 6, 7, 8, 9];
const ACC0 = 10; // v128 acc0..acc3

function colsumBody(): number[] {
  const group = (lanes: number) => {
    const accs = Array.from({ length: lanes }, (_, q) => ACC0 + q);
    return [
      ...accs.flatMap((q) => [...zeroV(), ...set(q)]),
      ...get(X), ...get(J), ...i32c(2), OP.i32Shl, OP.i32Add, ...set(P),
      ...get(ROWS), ...set(R),
      ...countDown(R, 1, [
        ...accs.flatMap((q, u) => [...get(q), ...get(P), ...vload(16 * u), ...simd(S.f32x4Add), ...set(q)]),
        ...addTo(P, get(STRIDE)),
      ]),
      ...get(OUT), ...get(J), ...i32c(2), OP.i32Shl, OP.i32Add, ...set(CP),
      ...accs.flatMap((q, u) => [...get(CP), ...get(q), ...vstore(16 * u)]),
      ...addTo(J, i32c(4 * lanes)),
    ];
  };
  /** while (J + width <= COLS) group(width / 4) */
  const columns = (width: number) => [
    ...get(COLS), ...get(COLS), ...i32c(width - 1), OP.i32And, OP.i32Sub, ...set(LIM),
    OP.block, 0x40, ...get(J), ...get(LIM), OP.i32GeU, OP.br_if, 0,
    OP.loop, 0x40, ...group(width / 4), ...get(J), ...get(LIM), OP.i32LtU, OP.br_if, 0, OP.end,
    OP.end,
  ];
  return fnBody([[6, I32], [4, V128]], [
    ...get(COLS), ...i32c(2), OP.i32Shl, ...set(STRIDE),
    ...i32c(0), ...set(J),
    ...columns(16),
    ...columns(4),
  ]);
}

export function simdColsumModuleBytes(sharedMemory: boolean): Uint8Array {
  const params = new Array(4).fill(I32);
  const types = vec([[0x60, ...uleb(params.length), ...params, 0]]);
  const limits = sharedMemory ? [0x03, ...uleb(1), ...uleb(65536)] : [0x00, ...uleb(1)];
  const imports = vec([[...name('env'), ...name('memory'), 0x02, ...limits]]);
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, types), ...section(2, imports), ...section(3, vec([[0]])), ...section(7, vec([[...name('colsum'), 0x00, 0]])),
    ...section(10, vec([colsumBody()])),
  ]);
}

export interface SimdColsum {
  colsum(x: number, out: number, rows: number, cols: number): void;
}

const instances = new WeakMap<WebAssembly.Memory, SimdColsum | null>();

/** The kernel bound to `memory`, or null where WebAssembly SIMD (or the memory import) is unavailable. */
export function simdColsumFor(memory: WebAssembly.Memory): SimdColsum | null {
  if (instances.has(memory)) return instances.get(memory)!;
  let out: SimdColsum | null;
  try {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const mod = new WebAssembly.Module(simdColsumModuleBytes(shared) as BufferSource);
    out = new WebAssembly.Instance(mod, { env: { memory } }).exports as unknown as SimdColsum;
  } catch {
    out = null; // no SIMD: the caller keeps the stock kernel
  }
  instances.set(memory, out);
  return out;
}
