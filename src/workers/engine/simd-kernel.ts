// A tiny WebAssembly SIMD module, assembled here byte by byte (no toolchain, no fetched file, nothing to
// ship): the int8 scan behind exact search and a plain read of the same bytes that anchors it to memory
// bandwidth. A JS loop tops out near 1 multiply-add per nanosecond; 128-bit integer lanes do 16 per
// instruction, so scanning int8 rows runs at about the speed memory delivers them.
//
// scan(rows, n, stride, q, scales, out): out[i] = f32(sum_j rows[i*stride + j] * q[j]) * scales[i]
//   rows int8 [n, stride] (stride a multiple of 32 bytes), q int16 [stride], scales/out f32 [n].
// sum(ptr, nBytes) -> i32: wrapping sum of the buffer read as i32 words (nBytes a multiple of 64).

const OP = {
  block: 0x02, loop: 0x03, end: 0x0b, br_if: 0x0d,
  localGet: 0x20, localSet: 0x21, localTee: 0x22,
  f32Load: 0x2a, f32Store: 0x38, i32Const: 0x41,
  i32Eqz: 0x45, i32LtU: 0x49, i32Add: 0x6a, i32Shl: 0x74,
  f32Mul: 0x94, f32ConvertI32S: 0xb2,
};
const SIMD = 0xfd;
const S = { load: 0x00, const: 0x0c, i32x4ExtractLane: 0x1b, i16x8ExtendLowS: 0x87, i16x8ExtendHighS: 0x88, i32x4Add: 0xae, i32x4DotI16x8S: 0xba };
const I32 = 0x7f;
const V128 = 0x7b;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

const simd = (op: number, ...imm: number[]) => [SIMD, ...uleb(op), ...imm];
const load128 = (offset: number) => simd(S.load, 0, ...uleb(offset)); // align hint 1: any address
const get = (i: number) => [OP.localGet, i];
const set = (i: number) => [OP.localSet, i];
/** i32.const with its signed LEB128 immediate (non-negative values here). */
function i32c(v: number): number[] {
  const out: number[] = [OP.i32Const];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if (v === 0 && !(b & 0x40)) return [...out, b];
    out.push(b | 0x80);
  }
}
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const name = (s: string) => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

function scanBody(): number[] {
  // params: 0 rows, 1 n, 2 stride, 3 q, 4 scales, 5 out; locals: 6 i, 7 p, 8 j (i32), 9 acc, 10 r (v128)
  const [rows, n, stride, q, scales, out, i, p, j, acc, r] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const chunk = (rowOff: number) => [
    ...get(p), ...get(j), OP.i32Add, ...load128(rowOff), ...set(r),
    ...get(acc),
    ...get(r), ...simd(S.i16x8ExtendLowS),
    ...get(q), ...get(j), ...i32c(1), OP.i32Shl, OP.i32Add, ...load128(2 * rowOff),
    ...simd(S.i32x4DotI16x8S), ...simd(S.i32x4Add),
    ...get(r), ...simd(S.i16x8ExtendHighS),
    ...get(q), ...get(j), ...i32c(1), OP.i32Shl, OP.i32Add, ...load128(2 * rowOff + 16),
    ...simd(S.i32x4DotI16x8S), ...simd(S.i32x4Add),
    ...set(acc),
  ];
  const lane = (k: number) => [...get(acc), ...simd(S.i32x4ExtractLane, k)];
  const code = [
    OP.block, 0x40, ...get(n), OP.i32Eqz, OP.br_if, 0, // nothing to do
    ...get(rows), ...set(p),
    OP.loop, 0x40,
    ...simd(S.const, ...new Array(16).fill(0)), ...set(acc),
    ...i32c(0), ...set(j),
    OP.loop, 0x40,
    ...chunk(0), ...chunk(16),
    ...get(j), ...i32c(32), OP.i32Add, OP.localTee, j, ...get(stride), OP.i32LtU, OP.br_if, 0,
    OP.end,
    // out[i] = f32(horizontal sum) * scales[i]
    ...get(out), ...get(i), ...i32c(2), OP.i32Shl, OP.i32Add,
    ...lane(0), ...lane(1), OP.i32Add, ...lane(2), OP.i32Add, ...lane(3), OP.i32Add, OP.f32ConvertI32S,
    ...get(scales), ...get(i), ...i32c(2), OP.i32Shl, OP.i32Add, OP.f32Load, 2, 0,
    OP.f32Mul, OP.f32Store, 2, 0,
    ...get(p), ...get(stride), OP.i32Add, ...set(p),
    ...get(i), ...i32c(1), OP.i32Add, OP.localTee, i, ...get(n), OP.i32LtU, OP.br_if, 0,
    OP.end,
    OP.end, // block
    OP.end, // function
  ];
  const locals = vec([[3, I32], [2, V128]]);
  return [...uleb(locals.length + code.length), ...locals, ...code];
}

function sumBody(): number[] {
  // params: 0 ptr, 1 nBytes; locals: 2 end (i32), 3 a, 4 b (v128)
  const [ptr, nBytes, end, a, b] = [0, 1, 2, 3, 4];
  const add = (acc: number, off: number) => [...get(acc), ...get(ptr), ...load128(off), ...simd(S.i32x4Add), ...set(acc)];
  const lane = (k: number) => [...get(a), ...simd(S.i32x4ExtractLane, k)];
  const code = [
    ...get(ptr), ...get(nBytes), OP.i32Add, ...set(end),
    OP.block, 0x40, ...get(nBytes), OP.i32Eqz, OP.br_if, 0,
    OP.loop, 0x40,
    ...add(a, 0), ...add(b, 16), ...add(a, 32), ...add(b, 48),
    ...get(ptr), ...i32c(64), OP.i32Add, OP.localTee, ptr, ...get(end), OP.i32LtU, OP.br_if, 0,
    OP.end,
    OP.end,
    ...get(a), ...get(b), ...simd(S.i32x4Add), ...set(a),
    ...lane(0), ...lane(1), OP.i32Add, ...lane(2), OP.i32Add, ...lane(3), OP.i32Add,
    OP.end,
  ];
  const locals = vec([[1, I32], [2, V128]]);
  return [...uleb(locals.length + code.length), ...locals, ...code];
}

function moduleBytes(): Uint8Array {
  const types = vec([
    [0x60, ...uleb(6), I32, I32, I32, I32, I32, I32, 0], // scan: 6 x i32 -> ()
    [0x60, 2, I32, I32, 1, I32], // sum: (i32, i32) -> i32
  ]);
  const funcs = [2, 0, 1]; // two functions of types 0 and 1
  const memory = [1, 0x00, 1]; // one memory, min 1 page, no max
  const exports = vec([
    [...name('memory'), 0x02, 0],
    [...name('scan'), 0x00, 0],
    [...name('sum'), 0x00, 1],
  ]);
  const code = vec([scanBody(), sumBody()]);
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, types), ...section(3, funcs), ...section(5, memory), ...section(7, exports), ...section(10, code),
  ]);
}

export interface SimdKernel {
  memory: WebAssembly.Memory;
  scan(rowsPtr: number, n: number, strideBytes: number, qPtr: number, scalesPtr: number, outPtr: number): void;
  sum(ptr: number, nBytes: number): number;
}

let compiled: WebAssembly.Module | null | undefined;

/** A fresh instance (its own memory) of the SIMD module, or null where WebAssembly SIMD is unavailable. */
export function createSimdKernel(): SimdKernel | null {
  if (compiled === undefined) {
    try {
      compiled = typeof WebAssembly === 'object' ? new WebAssembly.Module(moduleBytes() as BufferSource) : null;
    } catch {
      compiled = null; // no SIMD (or no wasm at all): callers use the float32 JS path
    }
  }
  if (!compiled) return null;
  const inst = new WebAssembly.Instance(compiled, {});
  return inst.exports as unknown as SimdKernel;
}

/** The module's bytes, for tests and for a worker that wants to compile it asynchronously. */
export const simdModuleBytes = moduleBytes;
