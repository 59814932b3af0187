// "Pair by metadata": the paper's rule for real paired data (MIMIC: same patient, studies within 24 h).
// Each CXR is paired with the ECG of the same patient whose study time is closest, if within maxHours.
// Patient and time come from item fields: "patientKey" (the dataset loader's patient) or a metadata key.
import type { MatchReport, PairableItem } from './types';

export interface PairRule {
  /** Field holding the patient id on each modality: "patientKey" or a metadata key. */
  patient: { cxr: string; ecg: string };
  /** Metadata key holding the study date/time on each modality. */
  time: { cxr: string; ecg: string };
  maxHours: number;
}

const HOUR_MS = 3_600_000;

/**
 * Study time in ms since epoch: ISO dates ("2180-07-23", "2180-07-23 15:14:00", with T), DICOM
 * "YYYYMMDD" with optional "HHMMSS[.f]" (space, T or nothing between), or a plain number meaning hours.
 * NaN when the value cannot be read.
 */
export function parseStudyTime(v: string | number | undefined): number {
  if (v === undefined) return NaN;
  if (typeof v === 'number') return Number.isFinite(v) ? v * HOUR_MS : NaN;
  const s = v.trim();
  if (!s) return NaN;
  if (/^-?\d+(\.\d+)?$/.test(s) && s.length < 8) return Number(s) * HOUR_MS;
  const dicom = /^(\d{4})(\d{2})(\d{2})(?:[ T]?(\d{2})(\d{2})?(\d{2})?(?:\.\d+)?)?$/.exec(s);
  if (dicom) {
    const [, y, mo, d, h = '0', mi = '0', se = '0'] = dicom;
    const t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se));
    return Number(mo) >= 1 && Number(mo) <= 12 && Number(d) >= 1 && Number(d) <= 31 ? t : NaN;
  }
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/.exec(s);
  if (iso) {
    const [, y, mo, d, h = '0', mi = '0', se = '0'] = iso;
    return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se));
  }
  return NaN;
}

const field = (it: PairableItem, key: string): string | number | undefined => (key === 'patientKey' ? it.patientKey : it.meta[key]);

export function describeRule(r: PairRule): string {
  const f = (a: string, b: string) => (a === b ? a : `${a} (CXR) / ${b} (ECG)`);
  return `same ${f(r.patient.cxr, r.patient.ecg)}, ${f(r.time.cxr, r.time.ecg)} within ${r.maxHours} h`;
}

/** Pairs by the rule; every CXR that finds no ECG is reported (line 0 in the report, reason names the item). */
export function matchByRule(items: readonly PairableItem[], rule: PairRule): MatchReport {
  if (!(rule.maxHours >= 0)) throw new Error(`pair rule: maxHours must be >= 0 (got ${rule.maxHours})`);
  const ecgsByPatient = new Map<string, { it: PairableItem; t: number }[]>();
  for (const it of items) {
    if (it.modality !== 'ecg') continue;
    const p = field(it, rule.patient.ecg);
    const t = parseStudyTime(field(it, rule.time.ecg));
    if (p === undefined || p === '' || !Number.isFinite(t)) continue;
    const k = String(p).trim();
    const l = ecgsByPatient.get(k);
    if (l) l.push({ it, t });
    else ecgsByPatient.set(k, [{ it, t }]);
  }
  const cxrs = items.filter((it) => it.modality === 'cxr');
  const report: MatchReport = { kind: 'rule', source: describeRule(rule), rows: cxrs.length, pairs: [], unmatched: [], unmatchedCount: 0, columns: [`patient: ${rule.patient.cxr} / ${rule.patient.ecg}`, `time: ${rule.time.cxr} / ${rule.time.ecg}`] };
  const limitMs = rule.maxHours * HOUR_MS;
  for (const c of cxrs) {
    const p = field(c, rule.patient.cxr);
    if (p === undefined || p === '') {
      report.unmatched.push({ line: 0, reason: `${c.id}: no ${rule.patient.cxr}` });
      continue;
    }
    const t = parseStudyTime(field(c, rule.time.cxr));
    if (!Number.isFinite(t)) {
      report.unmatched.push({ line: 0, reason: `${c.id}: ${rule.time.cxr} "${field(c, rule.time.cxr) ?? ''}" is not a date/time` });
      continue;
    }
    const cands = ecgsByPatient.get(String(p).trim()) ?? [];
    if (cands.length === 0) {
      report.unmatched.push({ line: 0, reason: `${c.id}: no ECG of patient ${p}` });
      continue;
    }
    let best = cands[0];
    for (const e of cands) if (Math.abs(e.t - t) < Math.abs(best.t - t) || (Math.abs(e.t - t) === Math.abs(best.t - t) && e.it.id < best.it.id)) best = e;
    const gapH = Math.abs(best.t - t) / HOUR_MS;
    if (Math.abs(best.t - t) > limitMs) {
      report.unmatched.push({ line: 0, reason: `${c.id}: the nearest ECG of patient ${p} is ${gapH.toFixed(1)} h away (limit ${rule.maxHours} h)` });
      continue;
    }
    report.pairs.push({ cxrId: c.id, ecgId: best.it.id, line: 0 });
  }
  report.unmatchedCount = report.unmatched.length;
  return report;
}
