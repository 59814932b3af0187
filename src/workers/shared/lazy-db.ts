// The database handle every worker opens on first use: one open shared by concurrent callers, and a
// failed open is forgotten so the next call tries again (a blocked or failed upgrade is not forever).
export function lazyDb<D>(open: () => Promise<D>): () => Promise<D> {
  let p: Promise<D> | null = null;
  return () => {
    p ??= open().catch((e: unknown) => {
      p = null;
      throw e;
    });
    return p;
  };
}
