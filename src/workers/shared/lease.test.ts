import { describe, expect, it } from 'vitest';
import { Leased } from './lease';

describe('Leased', () => {
  it('frees a retired value when the last lease is released, not before', () => {
    const freed: string[] = [];
    const l = new Leased('enc', (v) => freed.push(v));
    const a = l.tryAcquire()!;
    const b = l.tryAcquire()!;
    l.retire();
    a.release();
    a.release(); // idempotent
    expect(freed).toEqual([]);
    b.release();
    expect(freed).toEqual(['enc']);
    expect(l.tryAcquire()).toBeNull();
  });

  it('frees at once when retired with no lease, and never while current', () => {
    const freed: number[] = [];
    const l = new Leased(1, (v) => freed.push(v));
    l.tryAcquire()!.release();
    expect(freed).toEqual([]);
    l.retire();
    expect(freed).toEqual([1]);
  });
});
