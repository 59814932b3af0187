// Column sums of a row-major float32 matrix in the tfjs wasm heap (the bias gradient: Sum over the
// leading axes), assembled byte by byte like simd-matmul.ts: 16 columns at a time in four 128-bit
// accumulators walking down the rows, then 4 at a time; summed in row order in float32 as the stock kernel.
//
// colsum(x, out, rows, cols): out[c] = sum over r of x[r * cols + c]; pointers in bytes, rows >= 1,
// cols a multiple of 4.
import { addTo, countDown, fnBody, get, I32, i32c, OP, S, set, simd, V128, vload, vstore, zeroV, memoryKernelBinder, memoryKernelModuleBytes } from './simd-matmul';

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

export const simdColsumModuleBytes = (sharedMemory: boolean): Uint8Array =>
  memoryKernelModuleBytes(4, [{ name: 'colsum', body: colsumBody() }], sharedMemory);

export interface SimdColsum {
  colsum(x: number, out: number, rows: number, cols: number): void;
}

/** The kernel bound to `memory`, or null where WebAssembly SIMD (or the memory import) is unavailable: the caller keeps the stock kernel. */
export const simdColsumFor = memoryKernelBinder<SimdColsum>(simdColsumModuleBytes);
