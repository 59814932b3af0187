// EDF / EDF+ (and BDF, its 24-bit variant) -> EcgExport. The header gives each signal's label, physical
// dimension, physical and digital min/max (physical = (digital - digMin) * (physMax - physMin) /
// (digMax - digMin) + physMin) and samples per data record. ECG channels are those whose label names a lead
// or says ECG/EKG, in a voltage unit; EDF+ annotation channels are skipped, every other channel is dropped
// with a note that names it. Only the first MAX_DECODE_S seconds are decoded (the model reads 10 s).
import { fail, ok, type Result } from '../types';
import { standardLeadFromLabel, toMvFactor } from './leads';
import { MAX_EXPORT_LEADS, MAX_EXPORT_SAMPLES, type EcgExport } from './types';

export const MAX_DECODE_S = 60;
const MAX_SIGNALS = 512;

interface EdfSignal {
  label: string;
  dim: string;
  physMin: number;
  physMax: number;
  digMin: number;
  digMax: number;
  nPerRecord: number;
}

const ascii = (b: Uint8Array, at: number, len: number) => {
  let s = '';
  for (let i = at; i < at + len && i < b.length; i++) s += String.fromCharCode(b[i]);
  return s.trim();
};

/** True for the first bytes of an EDF ("0       ") or BDF ("\xFFBIOSEMI") file. */
export function looksLikeEdf(b: Uint8Array): boolean {
  if (b.length < 8) return false;
  if (b[0] === 0xff && ascii(b, 1, 7) === 'BIOSEMI') return true;
  return b[0] === 0x30 && ascii(b, 1, 7) === '';
}

export function parseEdf(bytes: Uint8Array, file: string): Result<EcgExport> {
  if (bytes.length < 256) return fail(file, `${bytes.length} bytes: shorter than the 256-byte EDF header`);
  if (!looksLikeEdf(bytes)) return fail(file, 'byte 0: not an EDF or BDF file (version field is not "0" or BIOSEMI)');
  const bdf = bytes[0] === 0xff;
  const bytesPer = bdf ? 3 : 2;
  const headerBytes = Number(ascii(bytes, 184, 8));
  const reserved = ascii(bytes, 192, 44);
  let nRecords = Number(ascii(bytes, 236, 8));
  const recordS = Number(ascii(bytes, 244, 8));
  const ns = Number(ascii(bytes, 252, 4));
  if (!Number.isInteger(ns) || ns < 1 || ns > MAX_SIGNALS) return fail(file, `byte 252: bad number of signals "${ascii(bytes, 252, 4)}"`);
  if (headerBytes !== 256 * (ns + 1)) return fail(file, `byte 184: header size ${ascii(bytes, 184, 8)} does not match ${ns} signals (${256 * (ns + 1)})`);
  if (bytes.length < headerBytes) return fail(file, `truncated header: ${bytes.length} of ${headerBytes} bytes`);
  if (!(recordS > 0 && Number.isFinite(recordS))) return fail(file, `byte 244: bad data record duration "${ascii(bytes, 244, 8)}"`);
  const field = (k: number, offset: number, len: number) => ascii(bytes, 256 + offset * ns + k * len, len);
  // Field offsets in units of ns: label 16, transducer 80, dim 8, physMin 8, physMax 8, digMin 8, digMax 8, prefilter 80, nr 8.
  const signals: EdfSignal[] = [];
  for (let k = 0; k < ns; k++) {
    const s: EdfSignal = {
      label: field(k, 0, 16),
      dim: field(k, 96, 8),
      physMin: Number(field(k, 104, 8)),
      physMax: Number(field(k, 112, 8)),
      digMin: Number(field(k, 120, 8)),
      digMax: Number(field(k, 128, 8)),
      nPerRecord: Number(field(k, 216, 8)),
    };
    if (!Number.isInteger(s.nPerRecord) || s.nPerRecord < 1) return fail(file, `signal ${k + 1} (${s.label}): bad samples per record "${field(k, 216, 8)}"`);
    signals.push(s);
  }
  const recordBytes = signals.reduce((a, s) => a + s.nPerRecord * bytesPer, 0);
  const available = Math.floor((bytes.length - headerBytes) / recordBytes);
  if (nRecords === -1 || !Number.isFinite(nRecords)) nRecords = available;
  if (!Number.isInteger(nRecords) || nRecords < 0) return fail(file, `byte 236: bad number of data records "${ascii(bytes, 236, 8)}"`);
  if (available < nRecords) {
    return fail(file, `truncated: ${bytes.length} bytes hold ${available} of ${nRecords} data records (${headerBytes + nRecords * recordBytes} bytes expected)`);
  }
  if (nRecords === 0) return fail(file, 'no data records');

  const dropped: string[] = [];
  const ecg: { k: number; name: string; factor: number; fsHz: number }[] = [];
  signals.forEach((s, k) => {
    if (/^EDF Annotations$|^BDF Annotations$/i.test(s.label)) return;
    const std = standardLeadFromLabel(s.label);
    const factor = toMvFactor(s.dim);
    const isEcg = std !== null || /\b(ECG|EKG)\b/i.test(s.label);
    if (!isEcg || factor === null) {
      dropped.push(`${s.label || `signal ${k + 1}`}${s.dim ? ` (${s.dim})` : ''}`);
      return;
    }
    if (!(s.digMax > s.digMin) || !Number.isFinite(s.physMin) || !Number.isFinite(s.physMax) || s.physMax === s.physMin) {
      dropped.push(`${s.label} (bad physical/digital range)`);
      return;
    }
    ecg.push({ k, name: std ?? s.label, factor, fsHz: s.nPerRecord / recordS });
  });
  if (!ecg.length) return fail(file, `no ECG channel (channels: ${signals.map((s) => `${s.label}${s.dim ? ` (${s.dim})` : ''}`).join(', ')})`);
  // One rate per record: keep the ECG channels at the most common rate.
  const rateCount = new Map<number, number>();
  for (const c of ecg) rateCount.set(c.fsHz, (rateCount.get(c.fsHz) ?? 0) + 1);
  const fsHz = [...rateCount.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0][0];
  const kept = ecg.filter((c) => c.fsHz === fsHz);
  for (const c of ecg) if (c.fsHz !== fsHz) dropped.push(`${c.name} (at ${c.fsHz} Hz, not ${fsHz} Hz)`);
  if (kept.length > MAX_EXPORT_LEADS) return fail(file, `${kept.length} ECG channels exceed the limit of ${MAX_EXPORT_LEADS}`);

  const totalS = nRecords * recordS;
  const nDecodeRecords = Math.min(nRecords, Math.max(1, Math.ceil(MAX_DECODE_S / recordS)));
  const perRecord = signals[kept[0].k].nPerRecord;
  const nSamples = nDecodeRecords * perRecord;
  if (nSamples * kept.length > MAX_EXPORT_SAMPLES) return fail(file, `${kept.length} channels x ${nSamples} samples exceed the limit`);
  const sigOffset: number[] = [];
  let acc = 0;
  for (const s of signals) {
    sigOffset.push(acc);
    acc += s.nPerRecord * bytesPer;
  }
  const signalsMv = kept.map((c) => {
    const s = signals[c.k];
    const gain = ((s.physMax - s.physMin) / (s.digMax - s.digMin)) * c.factor;
    const offset = s.physMin * c.factor;
    const out = new Float32Array(nSamples);
    for (let r = 0; r < nDecodeRecords; r++) {
      let p = headerBytes + r * recordBytes + sigOffset[c.k];
      for (let i = 0; i < perRecord; i++, p += bytesPer) {
        let d: number;
        if (bdf) {
          d = bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16);
          if (d & 0x800000) d -= 0x1000000;
        } else {
          d = bytes[p] | (bytes[p + 1] << 8);
          if (d & 0x8000) d -= 0x10000;
        }
        out[r * perRecord + i] = (d - s.digMin) * gain + offset;
      }
    }
    return out;
  });
  const notes: string[] = [];
  if (dropped.length) notes.push(`dropped non-ECG channels: ${dropped.join(', ')}`);
  if (nDecodeRecords < nRecords) notes.push(`read the first ${Math.round(nDecodeRecords * recordS)} s of ${Math.round(totalS)} s`);
  if (/^EDF\+D/.test(reserved)) notes.push('EDF+D (discontinuous): records read as if contiguous');
  return ok({
    record: { id: file, fsHz, nSamples, leadNames: kept.map((c) => c.name), signalsMv },
    statements: [],
    notes,
    meta: { layout: bdf ? 'bdf' : reserved.startsWith('EDF+') ? 'edf+' : 'edf', fsHz, durationS: Math.round(totalS * 100) / 100 },
  });
}
