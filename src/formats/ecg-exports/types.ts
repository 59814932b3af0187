// What every hospital ECG export reader gives back: the record in mV with standard lead names where they
// map, the interpretation / diagnosis statements found in the file, and notes on what was left out.
import type { EcgRecord } from '../types';

export interface EcgExport {
  record: EcgRecord;
  /** Interpretation or diagnosis statements, in file order, without duplicates. */
  statements: string[];
  /** What was read differently from the file or left out (e.g. "dropped non-ECG channels: SpO2"). */
  notes: string[];
  meta: Record<string, string | number>;
}

/** Largest signal a reader decodes (samples over all leads), checked before allocating. */
export const MAX_EXPORT_SAMPLES = 32 * 1024 * 1024;
export const MAX_EXPORT_LEADS = 64;

export function uniqueStatements(list: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of list) {
    const s = raw.replace(/\s+/g, ' ').trim();
    if (!s || seen.has(s.toLowerCase())) continue;
    seen.add(s.toLowerCase());
    out.push(s);
  }
  return out;
}
