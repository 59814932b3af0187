// Same-origin reads of the shipped static files (demo/sources.json, weights/model-card.md, weights/manifest.json).
// A static host may answer a missing file with the app's index.html, so HTML replies count as "absent".

export type Asset<T> = { state: 'loading' } | { state: 'absent' } | { state: 'error'; message: string } | { state: 'ok'; value: T };

export const assetUrl = (path: string) => `${import.meta.env.BASE_URL}${path}`;

export async function fetchText(path: string): Promise<Asset<string>> {
  try {
    const res = await fetch(assetUrl(path), { cache: 'no-cache' });
    if (res.status === 404) return { state: 'absent' };
    if (!res.ok) return { state: 'error', message: `${path}: HTTP ${res.status}` };
    if ((res.headers.get('content-type') ?? '').includes('text/html')) return { state: 'absent' };
    return { state: 'ok', value: await res.text() };
  } catch (e) {
    return { state: 'error', message: `${path}: ${e instanceof Error ? e.message : String(e)}` };
  }
}

export async function fetchJson<T>(path: string, check: (v: unknown) => T | null): Promise<Asset<T>> {
  const text = await fetchText(path);
  if (text.state !== 'ok') return text;
  try {
    const value = check(JSON.parse(text.value));
    return value === null ? { state: 'error', message: `${path}: unexpected content` } : { state: 'ok', value };
  } catch (e) {
    return { state: 'error', message: `${path}: not valid JSON (${e instanceof Error ? e.message : ''})` };
  }
}
