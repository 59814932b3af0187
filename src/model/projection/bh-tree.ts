// Barnes-Hut space-partitioning tree (quadtree in 2-D, octree in 3-D) over a t-SNE layout: far cells
// act as one body, so the repulsive forces cost O(n log n) instead of O(n^2). Flat typed arrays, rebuilt
// every iteration.

const MAX_DEPTH = 48;

export class BhTree {
  readonly dims: 2 | 3;
  private nChild: number;
  private cap = 0;
  nNodes = 0;
  center = new Float64Array(0); // [cap, dims]
  half = new Float64Array(0); // [cap]
  com = new Float64Array(0); // [cap, dims]: sum of positions while building, then centre of mass
  count = new Int32Array(0); // [cap]
  firstChild = new Int32Array(0); // [cap], -1 for a leaf
  point = new Int32Array(0); // [cap], the point of a non-empty leaf, -1 when empty
  private stack = new Int32Array(1024);

  constructor(dims: 2 | 3) {
    this.dims = dims;
    this.nChild = 1 << dims;
  }

  private grow(min: number): void {
    if (min <= this.cap) return;
    const cap = Math.max(min, this.cap * 2, 1024);
    const D = this.dims;
    const f64 = (a: Float64Array, w: number) => {
      const b = new Float64Array(cap * w);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array) => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    this.center = f64(this.center, D);
    this.half = f64(this.half, 1);
    this.com = f64(this.com, D);
    this.count = i32(this.count);
    this.firstChild = i32(this.firstChild);
    this.point = i32(this.point);
    this.cap = cap;
  }

  private newNode(center: ArrayLike<number>, half: number): number {
    const id = this.nNodes++;
    this.grow(this.nNodes);
    const D = this.dims;
    for (let a = 0; a < D; a++) {
      this.center[id * D + a] = center[a];
      this.com[id * D + a] = 0;
    }
    this.half[id] = half;
    this.count[id] = 0;
    this.firstChild[id] = -1;
    this.point[id] = -1;
    return id;
  }

  /** Rebuilds the tree over y [n, dims]. */
  build(y: Float32Array, n: number): void {
    const D = this.dims;
    this.nNodes = 0;
    const lo = new Array(D).fill(Infinity);
    const hi = new Array(D).fill(-Infinity);
    for (let i = 0; i < n; i++)
      for (let a = 0; a < D; a++) {
        const v = y[i * D + a];
        if (v < lo[a]) lo[a] = v;
        if (v > hi[a]) hi[a] = v;
      }
    let half = 1e-9;
    const mid = new Array(D);
    for (let a = 0; a < D; a++) {
      mid[a] = (lo[a] + hi[a]) / 2;
      half = Math.max(half, (hi[a] - lo[a]) / 2);
    }
    this.newNode(mid, half * (1 + 1e-6));
    for (let i = 0; i < n; i++) this.insert(y, i);
    for (let id = 0; id < this.nNodes; id++) {
      const c = this.count[id];
      if (c > 0) for (let a = 0; a < D; a++) this.com[id * D + a] /= c;
    }
  }

  private childFor(node: number, y: Float32Array, i: number): number {
    const D = this.dims;
    let slot = 0;
    for (let a = 0; a < D; a++) if (y[i * D + a] > this.center[node * D + a]) slot |= 1 << a;
    return this.firstChild[node] + slot;
  }

  private subdivide(node: number): void {
    const D = this.dims;
    const h = this.half[node] / 2;
    const c = new Array(D);
    const first = this.nNodes;
    for (let slot = 0; slot < this.nChild; slot++) {
      for (let a = 0; a < D; a++) c[a] = this.center[node * D + a] + ((slot >> a) & 1 ? h : -h);
      this.newNode(c, h);
    }
    this.firstChild[node] = first;
  }

  private insert(y: Float32Array, i: number): void {
    const D = this.dims;
    let node = 0;
    for (let depth = 0; ; depth++) {
      this.count[node]++;
      for (let a = 0; a < D; a++) this.com[node * D + a] += y[i * D + a];
      if (this.firstChild[node] !== -1) {
        node = this.childFor(node, y, i);
        continue;
      }
      const p = this.point[node];
      if (p === -1) {
        this.point[node] = i;
        return;
      }
      let same = true;
      for (let a = 0; a < D; a++) if (y[p * D + a] !== y[i * D + a]) same = false;
      if (same || depth >= MAX_DEPTH) return; // duplicates stay together in one leaf
      // Move the leaf's old bodies (count - 1 of them, all at p's position) into a child, then descend.
      const old = this.count[node] - 1;
      this.subdivide(node);
      this.point[node] = -1;
      const child = this.childFor(node, y, p);
      this.count[child] = old;
      this.point[child] = p;
      for (let a = 0; a < D; a++) this.com[child * D + a] = y[p * D + a] * old;
      node = this.childFor(node, y, i);
    }
  }

  /**
   * Unnormalised repulsion on point i: adds sum_j qz_ij^2 (y_i - y_j) to `force` and returns
   * sum_j qz_ij with qz = 1 / (1 + |y_i - y_j|^2), self included (qz_ii = 1).
   */
  repulsion(y: Float32Array, i: number, theta2: number, force: Float64Array): number {
    const D = this.dims;
    const stack = this.stack;
    let top = 0;
    stack[top++] = 0;
    let z = 0;
    const count = this.count;
    const com = this.com;
    const half = this.half;
    const firstChild = this.firstChild;
    const nChild = this.nChild;
    const y0 = y[i * D];
    const y1 = y[i * D + 1];
    const y2 = D === 3 ? y[i * D + 2] : 0;
    while (top > 0) {
      const node = stack[--top];
      const c = count[node];
      if (c === 0) continue;
      const o = node * D;
      const d0 = y0 - com[o];
      const d1 = y1 - com[o + 1];
      const d2v = D === 3 ? y2 - com[o + 2] : 0;
      const dist2 = d0 * d0 + d1 * d1 + d2v * d2v;
      const w = 2 * half[node];
      const fc = firstChild[node];
      if (fc === -1 || w * w < theta2 * dist2) {
        const qz = 1 / (1 + dist2);
        z += c * qz;
        const m = c * qz * qz;
        force[0] += m * d0;
        force[1] += m * d1;
        if (D === 3) force[2] += m * d2v;
      } else {
        if (top + nChild > stack.length) {
          const s = new Int32Array(stack.length * 2);
          s.set(stack);
          this.stack = s;
          return this.repulsionSlow(y, i, theta2, force);
        }
        for (let s = 0; s < nChild; s++) if (count[fc + s] > 0) stack[top++] = fc + s;
      }
    }
    return z;
  }

  // Only reached once when the stack first overflows; restarts with the enlarged stack.
  private repulsionSlow(y: Float32Array, i: number, theta2: number, force: Float64Array): number {
    force.fill(0);
    return this.repulsion(y, i, theta2, force);
  }
}
