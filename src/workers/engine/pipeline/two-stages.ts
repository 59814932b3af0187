// Runs a producer and a consumer concurrently over a BoundedQueue: the producer (read, parse, preprocess)
// stays at most `capacity` entries ahead of the consumer (embed, write). The consumer decides when to stop
// (cancel, full disk: it returns false); an error on either side ends both and is rethrown; the producer
// has finished before this returns, so nothing runs on after the caller moves on.
import { BoundedQueue } from './bounded-queue';

export interface TwoStages<T> {
  capacity: number;
  /** Pushes entries in order; stops when push returns false or `stop` is aborted. */
  produce(push: (entry: T) => Promise<boolean>, stop: AbortSignal): Promise<void>;
  /** Handles one entry; false stops the run. */
  consume(entry: T): Promise<boolean>;
  /** Called once the consumer is done (normally or not), before waiting for the producer. */
  onConsumerDone?(): void;
}

/** Resolves with the most entries the queue held at once. */
export async function runTwoStages<T>(s: TwoStages<T>): Promise<{ peakQueued: number }> {
  const queue = new BoundedQueue<T>(s.capacity);
  const stop = new AbortController();
  const producer = (async () => {
    try {
      await s.produce((entry) => queue.push(entry), stop.signal);
      queue.close();
    } catch (e) {
      queue.fail(e);
    }
  })();
  try {
    for (;;) {
      const next = await queue.take();
      if (next.done) break;
      if (!(await s.consume(next.value))) break;
    }
  } finally {
    stop.abort();
    queue.abandon();
    s.onConsumerDone?.();
    await producer;
  }
  return { peakQueued: queue.peak };
}
