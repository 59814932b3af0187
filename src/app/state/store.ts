// A minimal external store for React (useSyncExternalStore): one immutable snapshot, replaced on change.
import { useSyncExternalStore } from 'react';

export interface Store<S> {
  get(): S;
  set(update: Partial<S> | ((s: S) => Partial<S>)): void;
  subscribe(listener: () => void): () => void;
}

export function createStore<S extends object>(initial: S): Store<S> {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => state,
    set(update) {
      const patch = typeof update === 'function' ? update(state) : update;
      state = { ...state, ...patch };
      for (const l of listeners) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Subscribes a component to a slice of the store; the selector must return a stable reference for equal state. */
export function useStore<S, T>(store: Store<S>, select: (s: S) => T): T {
  const snapshot = () => select(store.get());
  // The same snapshot for server rendering (renderToString in tests reads the live store).
  return useSyncExternalStore(store.subscribe, snapshot, snapshot);
}
