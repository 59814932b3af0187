// Lead names of hospital ECG exports -> the standard 12-lead names the model uses. DICOM channels carry a
// code (MDC "2:1", SCPECG "5.6.3-9-1") and a meaning ("Lead I"); aECG sequences an MDC mnemonic
// ("MDC_ECG_LEAD_AVR"); EDF channels a free label ("ECG V1", "EKG II"). Unknown leads keep their own name.
import { ECG_LEADS } from '../types';

/** MDC / SCP-ECG lead term numbers (ISO/IEEE 11073-10101 MDC_ECG_LEAD_*, SCP-ECG lead codes). */
const LEAD_BY_TERM: Record<number, string> = {
  1: 'I', 2: 'II', 61: 'III', 62: 'aVR', 63: 'aVL', 64: 'aVF',
  3: 'V1', 4: 'V2', 5: 'V3', 6: 'V4', 7: 'V5', 8: 'V6',
};

const STANDARD_BY_KEY = new Map<string, string>(ECG_LEADS.map((l) => [l.toLowerCase(), l]));
const ALIASES: Record<string, string> = { d1: 'I', d2: 'II', d3: 'III', mlii: 'II', '1': 'I', '2': 'II', '3': 'III' };

/** The standard name of a free-text lead label ("Lead aVR", "ECG V1", "EKG II", "AVF"), or null. */
export function standardLeadFromLabel(label: string): string | null {
  const k = label
    .trim()
    .toLowerCase()
    .replace(/^(ecg|ekg)[\s_:-]*/, '')
    .replace(/^lead[\s_:-]*/, '')
    .replace(/[\s_-]/g, '')
    .replace(/-?(ref|avg|cal)$/, '');
  return STANDARD_BY_KEY.get(k) ?? ALIASES[k] ?? null;
}

/** The standard name of a coded DICOM channel source (MDC "2:62", SCPECG "5.6.3-9-62"), or null. */
export function standardLeadFromCode(codeValue: string, scheme: string): string | null {
  const s = scheme.trim().toUpperCase();
  const v = codeValue.trim();
  let term: number | null = null;
  if (s === 'MDC' && /^2:\d+$/.test(v)) term = Number(v.slice(2));
  else if (s === 'SCPECG' && /^5\.6\.3-9-\d+$/.test(v)) term = Number(v.slice('5.6.3-9-'.length));
  return term !== null ? (LEAD_BY_TERM[term] ?? null) : null;
}

/** The standard name of an aECG mnemonic ("MDC_ECG_LEAD_AVR" -> "aVR"); other leads -> their suffix ("V7"). */
export function leadFromMdcMnemonic(code: string): { name: string; standard: boolean } | null {
  const m = /^MDC_ECG_LEAD_([A-Za-z0-9_]+)$/.exec(code.trim());
  if (!m) return null;
  const std = STANDARD_BY_KEY.get(m[1].toLowerCase());
  return std ? { name: std, standard: true } : { name: m[1], standard: false };
}

/** Physical unit -> factor to millivolts (null when not a voltage). */
export function toMvFactor(unit: string): number | null {
  const u = unit.trim().replace(/\u00b5|\u03bc/g, 'u');
  if (u === 'uV' || u === 'uv' || u === 'UV') return 1e-3;
  if (u === 'mV' || u === 'mv' || u === 'MV') return 1;
  if (u === 'V' || u === 'v') return 1e3;
  if (u === 'nV') return 1e-6;
  return null;
}
