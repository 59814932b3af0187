// Batched float32 matmul for the wasm backend's many small matrices (attention: [n*heads, T, dh]).
// The stock wasm BatchMatMul hands a batch > 1 to a scalar loop (measured ~0.9 GFLOP/s, the largest
// kernel of every encoder); XNNPACK only serves batch 1. This module is assembled here byte by byte
// (no toolchain, nothing fetched) and imports the tfjs wasm heap itself, so it reads and writes tensors
// in place: 128-bit lanes, four output vectors per pass over the shared dimension.
//
// nn(a, b, c, batch, M, K, N, aStep, bStep): c[t] = a[t] @ b[t], a [M, K], b [K, N], N a multiple of 4.
// nt(a, b, c, batch, M, K, N, aStep, bStep): c[t] = a[t] @ b[t]^T, a [M, K], b [N, K], K a multiple of 4.
// Pointers and steps in bytes; a[t] = a + t*aStep (a step of 0 broadcasts one matrix over the batch).

export const OP = {
  block: 0x02, loop: 0x03, end: 0x0b, br_if: 0x0d,
  localGet: 0x20, localSet: 0x21, localTee: 0x22,
  f32Store: 0x38, i32Const: 0x41,
  i32Eqz: 0x45, i32LtU: 0x49, i32GeU: 0x4f, i32Add: 0x6a, i32Sub: 0x6b, i32Mul: 0x6c, i32And: 0x71, i32Shl: 0x74,
  f32Add: 0x92,
};
export const SIMD = 0xfd;
export const S = { load: 0x00, load32Splat: 0x09, store: 0x0b, const: 0x0c, f32x4ExtractLane: 0x1f, f32x4Add: 0xe4, f32x4Mul: 0xe6 };
export const I32 = 0x7f;
export const V128 = 0x7b;

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}
/** i32.const with its signed LEB128 immediate. */
export function i32c(v: number): number[] {
  const out: number[] = [OP.i32Const];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && !(b & 0x40)) || (v === -1 && b & 0x40)) return [...out, b];
    out.push(b | 0x80);
  }
}
export const simd = (op: number, ...imm: number[]) => [SIMD, ...uleb(op), ...imm];
export const vload = (offset: number) => simd(S.load, 0, ...uleb(offset)); // align hint 1: any address
export const vstore = (offset: number) => simd(S.store, 0, ...uleb(offset));
export const get = (i: number) => [OP.localGet, i];
export const set = (i: number) => [OP.localSet, i];
export const tee = (i: number) => [OP.localTee, i];
export const addTo = (i: number, v: number[]) => [...get(i), ...v, OP.i32Add, ...set(i)];
export const zeroV = () => simd(S.const, ...new Array(16).fill(0));
/** do { body } while (--counter != 0) */
export const countDown = (counter: number, step: number, body: number[]) => [
  OP.loop, 0x40, ...body, ...get(counter), ...i32c(step), OP.i32Sub, ...tee(counter), OP.br_if, 0, OP.end,
];
export const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
export const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
export const name = (s: string) => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
export function fnBody(locals: [number, number][], code: number[]): number[] {
  const l = vec(locals.map(([count, type]) => [...uleb(count), type]));
  return [...uleb(l.length + code.length + 1), ...l, ...code, OP.end];
}

// Shared parameter and local slots of both functions.
const [A, B, C, BATCH, M, K, N, ASTEP, BSTEP] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
const [T, I, J, KK, AROW, AP, BP, CP, BROW, LIM] = [9, 10, 11, 12, 13, 14, 15, 16, 17, 18];
const [S0, ACC0] = [19, 20]; // v128: s, acc0..acc3

/** Loops over the batch and the rows of a; rowBody computes row I of c[t] (aRow = a[t] + I*K*4). */
function overBatchAndRows(rowBody: number[]): number[] {
  return [
    ...get(C), ...set(CP),
    ...get(BATCH), ...set(T),
    ...countDown(T, 1, [
      ...get(A), ...set(AROW),
      ...get(M), ...set(I),
      ...countDown(I, 1, [...rowBody, ...addTo(AROW, [...get(K), ...i32c(2), OP.i32Shl])]),
      ...addTo(A, get(ASTEP)),
      ...addTo(B, get(BSTEP)),
    ]),
  ];
}

function nnBody(): number[] {
  // One output vector group: `lanes` v128 accumulators over columns J..J+4*lanes of row I.
  const group = (lanes: number) => {
    const accs = Array.from({ length: lanes }, (_, q) => ACC0 + q);
    return [
      ...accs.flatMap((q) => [...zeroV(), ...set(q)]),
      ...get(AROW), ...set(AP),
      ...get(B), ...get(J), ...i32c(2), OP.i32Shl, OP.i32Add, ...set(BP),
      ...get(K), ...set(KK),
      ...countDown(KK, 1, [
        ...get(AP), ...simd(S.load32Splat, 2, 0), ...set(S0),
        ...accs.flatMap((q, u) => [...get(q), ...get(S0), ...get(BP), ...vload(16 * u), ...simd(S.f32x4Mul), ...simd(S.f32x4Add), ...set(q)]),
        ...addTo(AP, i32c(4)),
        ...addTo(BP, [...get(N), ...i32c(2), OP.i32Shl]),
      ]),
      ...accs.flatMap((q, u) => [...get(CP), ...get(q), ...vstore(16 * u)]),
      ...addTo(CP, i32c(16 * lanes)),
      ...addTo(J, i32c(4 * lanes)),
    ];
  };
  /** while (J + width <= N) group(width / 4) */
  const columns = (width: number) => [
    ...get(N), ...get(N), ...i32c(width - 1), OP.i32And, OP.i32Sub, ...set(LIM), // N rounded down to width
    OP.block, 0x40, ...get(J), ...get(LIM), OP.i32GeU, OP.br_if, 0,
    OP.loop, 0x40, ...group(width / 4), ...get(J), ...get(LIM), OP.i32LtU, OP.br_if, 0, OP.end,
    OP.end,
  ];
  const row = [...i32c(0), ...set(J), ...columns(16), ...columns(4)];
  return fnBody([[10, I32], [5, V128]], overBatchAndRows(row));
}

function ntBody(): number[] {
  const lane = (k: number) => [...get(ACC0), ...simd(S.f32x4ExtractLane, k)];
  const row = [
    ...get(B), ...set(BROW),
    ...get(N), ...set(J),
    ...countDown(J, 1, [
      ...zeroV(), ...set(ACC0), ...zeroV(), ...set(ACC0 + 1),
      ...get(AROW), ...set(AP), ...get(BROW), ...set(BP),
      ...get(K), ...set(KK),
      // Two accumulators while 8 values remain (shorter dependency chain), then one for a last 4.
      OP.block, 0x40, ...get(KK), ...i32c(8), OP.i32LtU, OP.br_if, 0,
      OP.loop, 0x40,
      ...get(ACC0), ...get(AP), ...vload(0), ...get(BP), ...vload(0), ...simd(S.f32x4Mul), ...simd(S.f32x4Add), ...set(ACC0),
      ...get(ACC0 + 1), ...get(AP), ...vload(16), ...get(BP), ...vload(16), ...simd(S.f32x4Mul), ...simd(S.f32x4Add), ...set(ACC0 + 1),
      ...addTo(AP, i32c(32)), ...addTo(BP, i32c(32)),
      ...get(KK), ...i32c(8), OP.i32Sub, ...tee(KK), ...i32c(8), OP.i32GeU, OP.br_if, 0,
      OP.end,
      OP.end,
      OP.block, 0x40, ...get(KK), OP.i32Eqz, OP.br_if, 0,
      ...get(ACC0), ...get(AP), ...vload(0), ...get(BP), ...vload(0), ...simd(S.f32x4Mul), ...simd(S.f32x4Add), ...set(ACC0),
      OP.end,
      ...get(ACC0), ...get(ACC0 + 1), ...simd(S.f32x4Add), ...set(ACC0),
      ...get(CP), ...lane(0), ...lane(1), OP.f32Add, ...lane(2), ...lane(3), OP.f32Add, OP.f32Add, OP.f32Store, 2, 0,
      ...addTo(CP, i32c(4)),
      ...addTo(BROW, [...get(K), ...i32c(2), OP.i32Shl]),
    ]),
  ];
  return fnBody([[10, I32], [5, V128]], overBatchAndRows(row));
}

/**
 * A module importing env.memory (shared when the tfjs heap is shared, as in its threaded build) and exporting
 * functions that all take `nParams` i32 arguments and return nothing, each with its body.
 */
export function memoryKernelModuleBytes(nParams: number, fns: { name: string; body: number[] }[], sharedMemory: boolean): Uint8Array {
  const params = new Array(nParams).fill(I32);
  const types = vec([[0x60, ...uleb(params.length), ...params, 0]]);
  const limits = sharedMemory ? [0x03, ...uleb(1), ...uleb(65536)] : [0x00, ...uleb(1)];
  const imports = vec([[...name('env'), ...name('memory'), 0x02, ...limits]]);
  const funcs = vec(fns.map(() => [0]));
  const exports = vec(fns.map((f, i) => [...name(f.name), 0x00, i]));
  const code = vec(fns.map((f) => f.body));
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, types), ...section(2, imports), ...section(3, funcs), ...section(7, exports), ...section(10, code),
  ]);
}

/**
 * The kernels of a module built by `moduleBytes`, instantiated once per wasm heap; null where the module
 * cannot be compiled (no SIMD, no memory import), and the caller then keeps its fallback.
 */
export function memoryKernelBinder<T>(moduleBytes: (sharedMemory: boolean) => Uint8Array): (memory: WebAssembly.Memory) => T | null {
  const instances = new WeakMap<WebAssembly.Memory, T | null>();
  return (memory) => {
    if (instances.has(memory)) return instances.get(memory)!;
    let out: T | null;
    try {
      const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
      const mod = new WebAssembly.Module(moduleBytes(shared) as BufferSource);
      out = new WebAssembly.Instance(mod, { env: { memory } }).exports as unknown as T;
    } catch {
      out = null;
    }
    instances.set(memory, out);
    return out;
  };
}

/** The module: nn and nt batched products. */
export const simdMatmulModuleBytes = (sharedMemory: boolean): Uint8Array =>
  memoryKernelModuleBytes(9, [{ name: 'nn', body: nnBody() }, { name: 'nt', body: ntBody() }], sharedMemory);

export interface SimdMatmul {
  nn(a: number, b: number, c: number, batch: number, m: number, k: number, n: number, aStep: number, bStep: number): void;
  nt(a: number, b: number, c: number, batch: number, m: number, k: number, n: number, aStep: number, bStep: number): void;
}

/** The kernels bound to `memory`, or null where WebAssembly SIMD (or the memory import) is unavailable. */
export const simdMatmulFor = memoryKernelBinder<SimdMatmul>(simdMatmulModuleBytes);
