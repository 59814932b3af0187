// Cached per-item data for display (ECG signals, CXR thumbnails), fetched from the worker once per id.
import { useEffect, useState } from 'react';
import type { EcgForPlot } from '../../workers/api';
import { errorMessage } from './errors';
import { studio } from './clients';

const MAX_ECGS = 200;
const MAX_THUMBS = 1000;
const ecgs = new Map<string, Promise<EcgForPlot>>();
const thumbs = new Map<string, Promise<string>>();

function remember<T>(cache: Map<string, Promise<T>>, max: number, id: string, load: () => Promise<T>, drop?: (v: T) => void) {
  let p = cache.get(id);
  if (p) {
    cache.delete(id); // move to the most recent end
    cache.set(id, p);
    return p;
  }
  p = load();
  p.catch(() => cache.delete(id));
  cache.set(id, p);
  while (cache.size > max) {
    const [oldId, old] = cache.entries().next().value as [string, Promise<T>];
    cache.delete(oldId);
    if (drop) old.then(drop, () => undefined);
  }
  return p;
}

export function loadEcg(id: string): Promise<EcgForPlot> {
  return remember(ecgs, MAX_ECGS, id, () => studio().getEcg(id));
}

/** An object URL for the item's thumbnail; valid while cached. */
export function loadThumbUrl(id: string): Promise<string> {
  return remember(
    thumbs,
    MAX_THUMBS,
    id,
    () => studio().getThumb(id).then((b) => URL.createObjectURL(b)),
    (url) => URL.revokeObjectURL(url),
  );
}

/** Forget everything (after the library was cleared or the model changed). */
export function clearItemData(): void {
  ecgs.clear();
  for (const p of thumbs.values()) p.then((u) => URL.revokeObjectURL(u), () => undefined);
  thumbs.clear();
}

type Loaded<T> = { value: T | null; error: string | null };

function useLoaded<T>(id: string | null, load: (id: string) => Promise<T>): Loaded<T> {
  const [state, setState] = useState<Loaded<T> & { id: string | null }>({ id: null, value: null, error: null });
  useEffect(() => {
    if (!id) return;
    let live = true;
    load(id).then(
      (value) => live && setState({ id, value, error: null }),
      (e) => live && setState({ id, value: null, error: errorMessage(e) }),
    );
    return () => {
      live = false;
    };
  }, [id, load]);
  return state.id === id ? state : { value: null, error: null };
}

export const useEcg = (id: string | null) => useLoaded(id, loadEcg);
export const useThumbUrl = (id: string | null) => useLoaded(id, loadThumbUrl);
