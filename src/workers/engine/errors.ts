// Errors the engine throws with a protocol code, so the client sees e.g. 'bad-input' rather than 'handler'.
import type { RpcErrorCode } from '../protocol';

export class EngineError extends Error {
  constructor(readonly code: RpcErrorCode, message: string) {
    super(message);
    this.name = 'EngineError';
  }
}

export const badInput = (message: string) => new EngineError('bad-input', message);
