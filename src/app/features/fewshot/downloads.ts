// Saves files from the page (object URLs on anchors; nothing leaves the machine).
export function downloadFiles(files: { name: string; bytes: Uint8Array }[], mime = 'application/octet-stream'): void {
  for (const f of files) {
    const type = f.name.endsWith('.json') ? 'application/json' : mime;
    const url = URL.createObjectURL(new Blob([f.bytes as Uint8Array<ArrayBuffer>], { type }));
    const a = document.createElement('a');
    a.href = url;
    a.download = f.name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

export async function readPicked(list: FileList | null): Promise<{ name: string; bytes: Uint8Array }[]> {
  if (!list) return [];
  return Promise.all([...list].map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
}

export const pct = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(100 * x).toFixed(1)} %`);
