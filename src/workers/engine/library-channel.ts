// Many tabs, one library: every tab's engine worker shares the IndexedDB library but not its memory, so
// each change (items written, vectors added, library cleared, model version switched) is announced on a
// BroadcastChannel and the other tabs' engines reload their index from the store and tell their page.

export type LibraryNotice = { type: 'library-changed' } | { type: 'version-changed'; version: string };

export interface LibraryChannel {
  post(n: LibraryNotice): void;
  listen(cb: (n: LibraryNotice) => void): void;
}

export const LIBRARY_CHANNEL_NAME = 'medbind-library';

export function isLibraryNotice(m: unknown): m is LibraryNotice {
  if (!m || typeof m !== 'object') return false;
  const o = m as { type?: unknown; version?: unknown };
  return o.type === 'library-changed' || (o.type === 'version-changed' && typeof o.version === 'string');
}

/** The origin-wide channel (a BroadcastChannel never delivers to its own sender); null where missing. */
export function broadcastLibraryChannel(name = LIBRARY_CHANNEL_NAME): LibraryChannel | null {
  if (typeof BroadcastChannel === 'undefined') return null;
  const bc = new BroadcastChannel(name);
  return {
    post: (n) => bc.postMessage(n),
    listen: (cb) => bc.addEventListener('message', (ev) => isLibraryNotice((ev as MessageEvent).data) && cb((ev as MessageEvent).data as LibraryNotice)),
  };
}
