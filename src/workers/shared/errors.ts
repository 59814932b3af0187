// Errors every worker throws with a protocol code, so the client sees e.g. 'bad-input' (the user's
// input is wrong, the message says how) or 'cancelled' rather than 'handler'.
import type { RpcErrorCode } from '../protocol';

export class WorkerError extends Error {
  constructor(readonly code: RpcErrorCode, message: string, name = 'WorkerError') {
    super(message);
    this.name = name;
  }
}

export const badInput = (message: string) => new WorkerError('bad-input', message, 'BadInput');

export const cancelled = () => new WorkerError('cancelled', 'cancelled', 'AbortError');

/** Throws a typed 'cancelled' error when the call was cancelled (use between batches). */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelled();
}
