// Browser download of a file the explorer made (embeddings, a selection); nothing leaves the machine.
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
