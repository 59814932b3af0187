// 2-D float32 transpose inside the tfjs wasm heap, assembled like simd-matmul.ts, for the transposes
// that BatchMatMul materialises (every matmul gradient has one). The stock wasm Transpose walks the
// output with strided reads across the whole input: measured ~10 ms for [25088, 64] (an im2col gradient),
// two thirds of that product's time. Here the input goes in bands of 16 rows: for each column, 16 reads
// from cache lines still in L1 and one contiguous 64-byte run written.
//
// t2d(src, dst, rows, cols): dst [cols, rows] = src [rows, cols]^T; pointers in bytes, rows, cols >= 1.
import { addTo, countDown, fnBody, get, I32, i32c, OP, set, tee, memoryKernelBinder, memoryKernelModuleBytes } from './simd-matmul';

const [SRC, DST, ROWS, COLS] = [0, 1, 2, 3];
const [LEFT, NB, C, P, Q, K, CB, RB, SBC, DBC] = [4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
const F32_LOAD = 0x2a;
const SELECT = 0x1b;
const BAND = 16;

function t2dBody(): number[] {
  const band = [
    ...get(SRC), ...set(SBC), ...get(DST), ...set(DBC),
    ...get(LEFT), ...i32c(BAND), ...get(LEFT), ...i32c(BAND), OP.i32LtU, SELECT, ...set(NB), // min(LEFT, BAND)
    ...get(COLS), ...set(C),
    ...countDown(C, 1, [
      ...get(SBC), ...set(P), ...get(DBC), ...set(Q), ...get(NB), ...set(K),
      ...countDown(K, 1, [...get(Q), ...get(P), F32_LOAD, 2, 0, OP.f32Store, 2, 0, ...addTo(P, get(CB)), ...addTo(Q, i32c(4))]),
      ...addTo(SBC, i32c(4)),
      ...addTo(DBC, get(RB)),
    ]),
    ...addTo(SRC, [...get(CB), ...i32c(Math.log2(BAND)), OP.i32Shl]),
    ...addTo(DST, i32c(4 * BAND)),
  ];
  return fnBody([[10, I32]], [
    ...get(COLS), ...i32c(2), OP.i32Shl, ...set(CB),
    ...get(ROWS), ...i32c(2), OP.i32Shl, ...set(RB),
    ...get(ROWS), ...set(LEFT),
    OP.loop, 0x40, ...band, ...get(LEFT), ...get(NB), OP.i32Sub, ...tee(LEFT), OP.br_if, 0, OP.end,
  ]);
}

export const transpose2dModuleBytes = (sharedMemory: boolean): Uint8Array =>
  memoryKernelModuleBytes(4, [{ name: 't2d', body: t2dBody() }], sharedMemory);

export interface Transpose2d {
  t2d(src: number, dst: number, rows: number, cols: number): void;
}

/** The kernel bound to `memory`, or null where the memory import is unavailable: the caller keeps the stock Transpose. */
export const transpose2dFor = memoryKernelBinder<Transpose2d>(transpose2dModuleBytes);
