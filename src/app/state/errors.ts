// Turns whatever a rejected call carries (Error, typed worker error, string) into a sentence for the user.
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  if (typeof e === 'object' && e !== null && 'message' in e) {
    const m = (e as { message: unknown }).message;
    if (typeof m === 'string' && m) return m;
  }
  if (typeof e === 'string') return e;
  return 'Unknown error';
}
