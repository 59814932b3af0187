// Typed storage errors: a full disk must reach the user as a clear sentence, not as an aborted transaction.

/** The browser refused a write because the origin's storage quota is used up. */
export class StorageFullError extends Error {
  readonly code = 'storage-full';
  constructor(detail?: string) {
    super(
      'Browser storage is full: the library could not be saved. Free space by clearing the library or ' +
        'removing other site data, then try again.' + (detail ? ` (${detail})` : ''),
    );
    this.name = 'StorageFullError';
  }
}

/** True when an error (or a transaction's error) is the browser's quota refusal. */
export function isQuotaError(e: unknown): boolean {
  if (!e || typeof e !== 'object') return false;
  const name = (e as { name?: unknown }).name;
  // Firefox reported NS_ERROR_DOM_QUOTA_REACHED in older versions.
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
}
