// The queue between ingest's stages: never holds more than its capacity, hands entries over in order,
// passes the producer's error on, and releases a waiting producer when the consumer stops.
import { describe, expect, it } from 'vitest';
import { BoundedQueue } from './bounded-queue';
import { runTwoStages } from './two-stages';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('BoundedQueue', () => {
  it('keeps at most its capacity while a fast producer feeds a slow consumer, in order', async () => {
    const q = new BoundedQueue<number>(2);
    let maxSize = 0;
    const producer = (async () => {
      for (let i = 0; i < 50; i++) {
        await q.push(i);
        maxSize = Math.max(maxSize, q.size);
      }
      q.close();
    })();
    const got: number[] = [];
    for (;;) {
      const r = await q.take();
      if (r.done) break;
      got.push(r.value);
      await tick();
    }
    await producer;
    expect(got).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(maxSize).toBeLessThanOrEqual(2);
    expect(q.peak).toBe(2);
  });

  it('gives the consumer what was queued, then the producer error', async () => {
    const q = new BoundedQueue<string>(3);
    await q.push('a');
    q.fail(new Error('disk gone'));
    expect(await q.take()).toEqual({ value: 'a', done: false });
    await expect(q.take()).rejects.toThrow('disk gone');
  });

  it('wakes a consumer waiting on an empty queue with the error', async () => {
    const q = new BoundedQueue<string>(1);
    const waiting = q.take();
    q.fail(new Error('parse stage failed'));
    await expect(waiting).rejects.toThrow('parse stage failed');
  });

  it('releases a producer blocked on a full queue when the consumer abandons it', async () => {
    const q = new BoundedQueue<number>(1);
    await q.push(1);
    const blocked = q.push(2);
    q.abandon();
    expect(await blocked).toBe(false);
    expect(q.size).toBe(0);
    expect(await q.take()).toEqual({ value: undefined, done: true });
  });

  it('refuses a capacity below 1', () => {
    expect(() => new BoundedQueue(0)).toThrow(/capacity must be at least 1/);
  });
});

describe('runTwoStages', () => {
  it('rethrows a consumer error after the producer has stopped', async () => {
    let produced = 0;
    let producerDone = false;
    const run = runTwoStages<number>({
      capacity: 2,
      produce: async (push) => {
        for (let i = 0; i < 1000; i++) {
          produced++;
          if (!(await push(i))) break;
        }
        producerDone = true;
      },
      consume: async (n) => {
        if (n === 3) throw new Error('encoder failed on entry 3');
        return true;
      },
    });
    await expect(run).rejects.toThrow('encoder failed on entry 3');
    expect(producerDone).toBe(true);
    // Entries 0-3 consumed, at most the queue's capacity plus the one being pushed read ahead.
    expect(produced).toBeLessThanOrEqual(4 + 2 + 1);
  });

  it('rethrows a producer error after the entries queued before it', async () => {
    const seen: number[] = [];
    const run = runTwoStages<number>({
      capacity: 2,
      produce: async (push) => {
        await push(1);
        await push(2);
        throw new Error('could not list the folder');
      },
      consume: async (n) => {
        seen.push(n);
        return true;
      },
    });
    await expect(run).rejects.toThrow('could not list the folder');
    expect(seen).toEqual([1, 2]);
  });
});
