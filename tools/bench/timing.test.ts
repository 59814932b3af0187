import { describe, expect, it } from 'vitest';
import { fmtMs, percentile, summarize, timeRuns } from './timing';

describe('bench timing', () => {
  it('summarises samples with interpolated percentiles and sample sd', () => {
    const s = summarize([4, 1, 3, 2, 5]);
    expect(s.n).toBe(5);
    expect(s.meanMs).toBe(3);
    expect(s.p50Ms).toBe(3);
    expect(s.p95Ms).toBeCloseTo(4.8, 10);
    expect(s.sdMs).toBeCloseTo(Math.sqrt(2.5), 10);
    expect([s.minMs, s.maxMs]).toEqual([1, 5]);
    expect(percentile([10, 20], 0.5)).toBe(15);
    expect(Number.isNaN(percentile([], 0.5))).toBe(true);
    expect(summarize([7]).sdMs).toBe(0);
    expect(summarize([1, 2, 3], [3, 1, 2]).cpuP50Ms).toBe(2);
    expect(summarize([1]).cpuP50Ms).toBeUndefined();
  });

  it('runs warm-up untimed, then the requested repeats', async () => {
    let calls = 0;
    const samples = await timeRuns(() => void calls++, { warmup: 2, repeats: 3 });
    expect(calls).toBe(5);
    expect(samples).toHaveLength(3);
    const cpu: number[] = [];
    const spin = () => {
      const t = performance.now();
      while (performance.now() - t < 15);
    };
    await timeRuns(spin, { warmup: 0, repeats: 2 }, cpu);
    expect(cpu).toHaveLength(2);
    expect(cpu[0]).toBeGreaterThan(1);
    expect(samples.every((ms) => ms >= 0)).toBe(true);
  });

  it('stops early when the budget is spent but keeps one timed sample', async () => {
    const slow = () => new Promise((r) => setTimeout(r, 30));
    const samples = await timeRuns(slow, { warmup: 1, repeats: 50, budgetMs: 10 });
    expect(samples).toHaveLength(1);
    expect(samples[0]).toBeGreaterThanOrEqual(20);
  });

  it('formats durations with units', () => {
    expect(fmtMs(0.25)).toBe('250 µs');
    expect(fmtMs(12.34)).toBe('12.3 ms');
    expect(fmtMs(4560)).toBe('4.56 s');
    expect(fmtMs(180_000)).toBe('3.0 min');
  });
});

describe('bench budget', () => {
  it('caps requests to what is left after a reserve', async () => {
    const { Budget } = await import('./budget');
    let t = 1000;
    const b = new Budget(10_000, () => t);
    expect(b.cap(3000)).toBe(3000);
    expect(b.cap(3000, 8000)).toBe(2000);
    t = 12_000;
    expect(b.leftMs()).toBe(0);
    expect(b.cap(3000)).toBe(0);
  });
});
