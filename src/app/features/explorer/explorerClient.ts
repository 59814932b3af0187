// The page's one explorer worker (lazy): it keeps the vectors and cached maps while the app is open,
// so returning to the page does not reload or recompute.
import { createExplorerClient, type ExplorerClient } from '../../../workers/explorer/client';

let client: ExplorerClient | null = null;

export function explorer(): ExplorerClient {
  client ??= createExplorerClient();
  return client;
}

/** Saves a Blob as a download (same-origin object URL; nothing leaves the machine). */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
