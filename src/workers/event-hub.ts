// Fan-out of worker events to page listeners, shared by the main-thread clients: each listener runs in
// isolation, so one listener's bug cannot stop the others.
export interface EventHub<E> {
  emit(e: E): void;
  /** Adds a listener; the returned function removes it. */
  on(cb: (e: E) => void): () => void;
  clear(): void;
}

export function createEventHub<E>(): EventHub<E> {
  const listeners = new Set<(e: E) => void>();
  return {
    emit(e) {
      for (const l of [...listeners]) {
        try {
          l(e);
        } catch {
          /* a listener's bug must not stop the others */
        }
      }
    },
    on(cb) {
      listeners.add(cb);
      return () => void listeners.delete(cb);
    },
    clear: () => listeners.clear(),
  };
}
