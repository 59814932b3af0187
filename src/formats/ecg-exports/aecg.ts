// HL7 aECG (the FDA annotated ECG, urn:hl7-org:v3) -> EcgExport. The waveform is the first rhythm series:
// its sequenceSet holds one TIME_* sequence (GLIST_TS / GLIST_PQ: head + increment = sampling interval) and
// one SLIST_PQ sequence per lead (physical = origin + scale * digit, units uV/mV/V). Interpretation
// statements are the textual values of annotations whose code names an interpretation.
import { fail, ok, type Result } from '../types';
import { leadFromMdcMnemonic, toMvFactor } from './leads';
import { MAX_EXPORT_LEADS, MAX_EXPORT_SAMPLES, uniqueStatements, type EcgExport } from './types';
import { childNamed, childrenNamed, descendantsNamed, parseXml, type XmlElement } from './xml';

const TIME_UNIT_S: Record<string, number> = { s: 1, ms: 1e-3, us: 1e-6 };

/** True when the text looks like an aECG document (root element AnnotatedECG in the HL7 v3 namespace). */
export function looksLikeAecg(head: string): boolean {
  return /<([A-Za-z_][\w.-]*:)?AnnotatedECG[\s>]/.test(head) && head.includes('urn:hl7-org:v3');
}

function pickSeries(root: XmlElement): XmlElement | undefined {
  const all = descendantsNamed(root, 'series');
  // Prefer a rhythm series; representative beats live in derivedSeries and are never picked.
  return all.find((s) => /RHYTHM/i.test(childNamed(s, 'code')?.attrs.code ?? '')) ?? all[0];
}

function parseDigits(s: string, n: number): Float64Array | null {
  const parts = s.trim().split(/\s+/);
  if (parts.length === 1 && parts[0] === '') return new Float64Array(0);
  if (parts.length > n) return null;
  const out = new Float64Array(parts.length);
  for (let i = 0; i < parts.length; i++) {
    const v = Number(parts[i]);
    out[i] = Number.isFinite(v) ? v : NaN;
  }
  return out;
}

function statementsOf(root: XmlElement): string[] {
  const out: string[] = [];
  for (const a of descendantsNamed(root, 'annotation')) {
    const code = childNamed(a, 'code');
    const c = `${code?.attrs.code ?? ''} ${code?.attrs.displayName ?? ''}`;
    if (!/INTERPRET|DIAGNOS|STATEMENT|SUMMARY/i.test(c)) continue;
    const v = childNamed(a, 'value');
    if (!v) continue;
    const txt = v.text.trim() || v.attrs.displayName || '';
    if (txt && !/^[\d.+-]+$/.test(txt)) out.push(txt);
  }
  return uniqueStatements(out);
}

export function parseAecg(bytes: Uint8Array, file: string): Result<EcgExport> {
  // Look at the head before decoding the whole file: other XML is refused without reading it all.
  if (!looksLikeAecg(new TextDecoder('utf-8').decode(bytes.subarray(0, 16384)))) {
    return fail(file, 'not an HL7 aECG file (no AnnotatedECG root in the urn:hl7-org:v3 namespace)');
  }
  const text = new TextDecoder('utf-8').decode(bytes);
  const doc = parseXml(text, file);
  if (!doc.ok) return doc;
  const root = doc.value;
  if (root.name !== 'AnnotatedECG') return fail(file, `root element is <${root.name}>, not <AnnotatedECG>`);
  const series = pickSeries(root);
  if (!series) return fail(file, 'no <series> with a waveform');
  // The series' own sequenceSets (series/component/sequenceSet); derivedSeries (median beats) are skipped.
  const set = childrenNamed(series, 'component')
    .flatMap((c) => childrenNamed(c, 'sequenceSet'))
    .find((s) => descendantsNamed(s, 'sequence').length > 1);
  if (!set) return fail(file, 'the series has no <sequenceSet> with lead sequences');
  const sequences = childrenNamed(set, 'component').flatMap((c) => childrenNamed(c, 'sequence'));

  let fsHz = 0;
  const leads: { name: string; standard: boolean; values: Float64Array; factor: number }[] = [];
  const dropped: string[] = [];
  for (const [k, seq] of sequences.entries()) {
    const code = childNamed(seq, 'code')?.attrs.code ?? '';
    const value = childNamed(seq, 'value');
    if (!value) continue;
    const type = value.attrs.type ?? '';
    if (/^TIME_/.test(code)) {
      const inc = childNamed(value, 'increment');
      const dt = Number(inc?.attrs.value);
      const unit = TIME_UNIT_S[(inc?.attrs.unit ?? 's').trim()];
      if (!(dt > 0) || !unit) return fail(file, `sequence ${k + 1} (${code}): bad time increment "${inc?.attrs.value ?? ''} ${inc?.attrs.unit ?? ''}"`);
      fsHz = 1 / (dt * unit);
      continue;
    }
    if (type && type !== 'SLIST_PQ') {
      dropped.push(`${code || `sequence ${k + 1}`} (${type})`);
      continue;
    }
    const lead = leadFromMdcMnemonic(code);
    if (!lead) {
      dropped.push(code || `sequence ${k + 1}`);
      continue;
    }
    const origin = childNamed(value, 'origin');
    const scale = childNamed(value, 'scale');
    const scaleV = Number(scale?.attrs.value ?? 1);
    const originV = Number(origin?.attrs.value ?? 0);
    const unit = scale?.attrs.unit ?? origin?.attrs.unit ?? 'uV';
    const factor = toMvFactor(unit);
    if (factor === null) {
      dropped.push(`${code} (${unit})`);
      continue;
    }
    if (origin && (origin.attrs.unit ?? unit) !== unit) return fail(file, `${code}: origin unit ${origin.attrs.unit} differs from scale unit ${unit}`);
    if (!Number.isFinite(scaleV) || !Number.isFinite(originV)) return fail(file, `${code}: bad origin or scale`);
    if (leads.length >= MAX_EXPORT_LEADS) return fail(file, `more than ${MAX_EXPORT_LEADS} leads`);
    const digitsEl = childNamed(value, 'digits');
    if (!digitsEl) return fail(file, `${code}: no <digits>`);
    const digits = parseDigits(digitsEl.text, MAX_EXPORT_SAMPLES);
    if (!digits) return fail(file, `${code}: more than ${MAX_EXPORT_SAMPLES} samples`);
    for (let i = 0; i < digits.length; i++) digits[i] = originV + scaleV * digits[i];
    leads.push({ name: lead.name, standard: lead.standard, values: digits, factor });
  }
  if (!(fsHz > 0)) return fail(file, 'no TIME_ABSOLUTE / TIME_RELATIVE sequence with an increment (sampling rate unknown)');
  if (!leads.length) return fail(file, `no ECG lead sequences${dropped.length ? ` (found: ${dropped.join(', ')})` : ''}`);
  const nSamples = Math.max(...leads.map((l) => l.values.length));
  if (nSamples === 0) return fail(file, 'the lead sequences hold no samples');
  if (nSamples * leads.length > MAX_EXPORT_SAMPLES) return fail(file, `${leads.length} leads x ${nSamples} samples exceed the limit`);
  const signalsMv = leads.map((l) => {
    const o = new Float32Array(nSamples).fill(NaN);
    for (let i = 0; i < l.values.length; i++) o[i] = l.values[i] * l.factor;
    return o;
  });
  const notes: string[] = [];
  if (dropped.length) notes.push(`left out non-ECG sequences: ${dropped.join(', ')}`);
  const uneven = leads.filter((l) => l.values.length !== nSamples).map((l) => l.name);
  if (uneven.length) notes.push(`shorter leads padded: ${uneven.join(', ')}`);
  return ok({
    record: { id: file, fsHz, nSamples, leadNames: leads.map((l) => l.name), signalsMv },
    statements: statementsOf(root),
    notes,
    meta: { layout: 'aecg', fsHz, durationS: Math.round((nSamples / fsHz) * 100) / 100 },
  });
}
