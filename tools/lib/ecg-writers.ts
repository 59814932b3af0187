// Writers of hospital ECG export formats, used to turn real records (e.g. PTB-XL) into test fixtures:
// DICOM 12-lead ECG waveform (explicit VR, little or big endian, 16- or 8-bit samples), HL7 aECG XML and
// EDF/EDF+. They write what the standards say, not what our readers expect, and stay small on purpose.

export interface ExportLead {
  /** Standard lead name: I, II, III, aVR, aVL, aVF, V1..V6 (or another name for a non-standard lead). */
  name: string;
  /** Samples in mV. */
  mv: Float32Array;
}

export interface ExportRecord {
  fsHz: number;
  leads: ExportLead[];
  statements: string[];
  sex?: 'M' | 'F';
  ageYears?: number;
}

/** MDC term codes ("2:n") of the standard leads (ISO/IEEE 11073-10101, DICOM CID 3001). */
export const MDC_LEAD_TERM: Record<string, number> = {
  I: 1, II: 2, III: 61, aVR: 62, aVL: 63, aVF: 64, V1: 3, V2: 4, V3: 5, V4: 6, V5: 7, V6: 8,
};

// ---------------------------------------------------------------- DICOM

export interface DicomWaveformOptions {
  bigEndian?: boolean;
  bits?: 8 | 16;
  /** Channel sensitivity, in `units` per digital value. */
  sensitivity?: number;
  units?: 'uV' | 'mV';
  correction?: number;
  /** Channel baseline in `units`. */
  baseline?: number;
  /** A MEDIAN multiplex group written before the rhythm group (a reader must skip it). */
  medianFirst?: boolean;
  /** 8-bit G.711 companded samples (one byte array per lead, already encoded), written as MB / AB. */
  companded?: { interpretation: 'MB' | 'AB'; bytes: Uint8Array[] };
  /** Statements written as coded annotations (Concept Code Sequence meanings) instead of unformatted text. */
  coded?: boolean;
  /** Extra channels in other units (e.g. a respiration channel in "%"), which a reader must drop. */
  extraChannels?: { label: string; units: string; values: Int16Array }[];
}

const SOP_12LEAD = '1.2.840.10008.5.1.4.1.1.9.1.1';
const TS_EXPLICIT_LE = '1.2.840.10008.1.2.1';
const TS_EXPLICIT_BE = '1.2.840.10008.1.2.2';
const LONG_VRS = new Set(['OB', 'OW', 'SQ', 'UN', 'UT', 'OF', 'OD', 'OL', 'UC', 'UR']);

class DicomOut {
  constructor(readonly littleEndian: boolean) {}
  private u16(v: number): Uint8Array {
    const b = new Uint8Array(2);
    new DataView(b.buffer).setUint16(0, v, this.littleEndian);
    return b;
  }
  private u32(v: number): Uint8Array {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v, this.littleEndian);
    return b;
  }
  element(group: number, elem: number, vr: string, value: Uint8Array): Uint8Array {
    const head = [this.u16(group), this.u16(elem), new TextEncoder().encode(vr)];
    if (LONG_VRS.has(vr)) head.push(new Uint8Array(2), this.u32(value.length));
    else head.push(this.u16(value.length));
    return concat([...head, value]);
  }
  str(group: number, elem: number, vr: string, s: string): Uint8Array {
    let t = s;
    if (t.length % 2) t += vr === 'UI' ? '\0' : ' ';
    return this.element(group, elem, vr, new TextEncoder().encode(t));
  }
  us(group: number, elem: number, v: number): Uint8Array {
    return this.element(group, elem, 'US', this.u16(v));
  }
  ul(group: number, elem: number, v: number): Uint8Array {
    return this.element(group, elem, 'UL', this.u32(v));
  }
  seq(group: number, elem: number, items: Uint8Array[][]): Uint8Array {
    const body = items.map((els) => {
      const inner = concat(els);
      return concat([this.u16(0xfffe), this.u16(0xe000), this.u32(inner.length), inner]);
    });
    return this.element(group, elem, 'SQ', concat(body));
  }
  code(value: string, scheme: string, meaning: string): Uint8Array[] {
    return [this.str(0x0008, 0x0100, 'SH', value), this.str(0x0008, 0x0102, 'SH', scheme), this.str(0x0008, 0x0104, 'LO', meaning)];
  }
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const n = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const dsString = (v: number) => {
  const s = String(Number(v.toPrecision(10)));
  return s.length > 16 ? v.toExponential(8) : s;
};

/** Digital value of a sample for the given scaling (rounded, clamped to the sample range). */
export function dicomDigital(mv: number, opts: DicomWaveformOptions): number {
  const bits = opts.bits ?? 16;
  const unitsPerMv = (opts.units ?? 'uV') === 'uV' ? 1000 : 1;
  const sens = opts.sensitivity ?? 1;
  const corr = opts.correction ?? 1;
  const base = opts.baseline ?? 0;
  const d = Math.round((mv * unitsPerMv - base * corr) / (sens * corr));
  const lim = bits === 16 ? 32767 : 127;
  return Math.max(-lim - 1, Math.min(lim, d));
}

export function writeDicomEcg(rec: ExportRecord, opts: DicomWaveformOptions = {}): Uint8Array {
  const le = !opts.bigEndian;
  const bits = opts.companded ? 8 : (opts.bits ?? 16);
  const o = new DicomOut(le);
  const meta = new DicomOut(true);
  const instance = '2.25.' + String(Math.abs(hashString(rec.statements.join('|') + rec.leads.length)) + 1000);
  const nSamples = Math.max(...rec.leads.map((l) => l.mv.length));
  const extra = opts.extraChannels ?? [];
  const nCh = rec.leads.length + extra.length;

  const group = (label: string, n: number, values: (c: number, t: number) => number) => {
    const data = new Uint8Array(n * nCh * (bits / 8));
    const dv = new DataView(data.buffer);
    for (let t = 0; t < n; t++) {
      for (let c = 0; c < nCh; c++) {
        const v = values(c, t);
        const k = t * nCh + c;
        if (bits === 16) dv.setInt16(2 * k, v, le);
        else if (opts.companded) dv.setUint8(k, v);
        else dv.setInt8(k, v);
      }
    }
    const channels: Uint8Array[][] = rec.leads.map((l) => {
      const term = MDC_LEAD_TERM[l.name];
      return [
        o.seq(0x003a, 0x0208, [term !== undefined ? o.code(`2:${term}`, 'MDC', `Lead ${l.name}`) : o.code('2:0', 'MDC', l.name)]),
        o.str(0x003a, 0x0210, 'DS', dsString(opts.sensitivity ?? 1)),
        o.seq(0x003a, 0x0211, [o.code(opts.units ?? 'uV', 'UCUM', opts.units === 'mV' ? 'millivolt' : 'microvolt')]),
        o.str(0x003a, 0x0212, 'DS', dsString(opts.correction ?? 1)),
        o.str(0x003a, 0x0213, 'DS', dsString(opts.baseline ?? 0)),
        o.us(0x003a, 0x021a, bits),
      ];
    });
    for (const x of extra) {
      channels.push([
        o.str(0x003a, 0x0203, 'LO', x.label),
        o.seq(0x003a, 0x0208, [o.code('0', '99LOCAL', x.label)]),
        o.str(0x003a, 0x0210, 'DS', '1'),
        o.seq(0x003a, 0x0211, [o.code(x.units, 'UCUM', x.units)]),
        o.us(0x003a, 0x021a, bits),
      ]);
    }
    return [
      o.us(0x003a, 0x0005, nCh),
      o.ul(0x003a, 0x0010, n),
      o.str(0x003a, 0x001a, 'DS', dsString(rec.fsHz)),
      o.str(0x003a, 0x0020, 'SH', label),
      o.seq(0x003a, 0x0200, channels),
      o.us(0x5400, 0x1004, bits),
      o.str(0x5400, 0x1006, 'CS', opts.companded?.interpretation ?? (bits === 16 ? 'SS' : 'SB')),
      o.element(0x5400, 0x1010, bits === 16 ? 'OW' : 'OB', data),
    ];
  };
  const rhythmValue = (c: number, t: number) => {
    if (opts.companded && c < rec.leads.length) return opts.companded.bytes[c][t] ?? 0xff;
    if (c < rec.leads.length) {
      const v = rec.leads[c].mv[t];
      return v === undefined || !Number.isFinite(v) ? 0 : dicomDigital(v, opts);
    }
    return extra[c - rec.leads.length].values[t] ?? 0;
  };
  const groups: Uint8Array[][] = [];
  if (opts.medianFirst) {
    // A 1.2 s "median beat": the first samples again, scaled down, so it differs from the rhythm.
    const n = Math.min(nSamples, Math.round(rec.fsHz * 1.2));
    groups.push(group('MEDIAN', n, (c, t) => Math.trunc(rhythmValue(c, t) / 2)));
  }
  groups.push(group('RHYTHM', nSamples, rhythmValue));

  const body: Uint8Array[] = [
    o.str(0x0008, 0x0016, 'UI', SOP_12LEAD),
    o.str(0x0008, 0x0018, 'UI', instance),
    o.str(0x0008, 0x0060, 'CS', 'ECG'),
  ];
  if (rec.sex) body.push(o.str(0x0010, 0x0040, 'CS', rec.sex));
  if (rec.ageYears !== undefined) body.push(o.str(0x0010, 0x1010, 'AS', `${String(rec.ageYears).padStart(3, '0')}Y`));
  if (rec.statements.length) {
    const items: Uint8Array[][] = [
      // A measurement (numeric value): not a statement.
      [o.seq(0x0040, 0xa043, [o.code('8633-2', 'LN', 'QRS duration')]), o.str(0x0040, 0xa30a, 'DS', '96')],
      // A beat annotation (sample positions): not a statement.
      [o.seq(0x0040, 0xa043, [o.code('10:1024', 'MDC', 'T wave')]), o.element(0x0040, 0xa132, 'UL', new Uint8Array(4))],
      ...rec.statements.map((s, k) =>
        opts.coded
          ? [o.seq(0x0040, 0xa043, [o.code('18810-2', 'LN', 'ECG interpretation')]), o.seq(0x0040, 0xa168, [o.code(`S${k}`, '99LOCAL', s)])]
          : [o.str(0x0070, 0x0006, 'ST', s)],
      ),
    ];
    body.push(o.seq(0x0040, 0xb020, items));
  }
  body.push(o.seq(0x5400, 0x0100, groups));

  const metaEls = concat([
    meta.element(0x0002, 0x0001, 'OB', new Uint8Array([0, 1])),
    meta.str(0x0002, 0x0002, 'UI', SOP_12LEAD),
    meta.str(0x0002, 0x0003, 'UI', instance),
    meta.str(0x0002, 0x0010, 'UI', le ? TS_EXPLICIT_LE : TS_EXPLICIT_BE),
    meta.str(0x0002, 0x0012, 'UI', '2.25.4242'),
  ]);
  const preamble = new Uint8Array(132);
  preamble.set(new TextEncoder().encode('DICM'), 128);
  return concat([preamble, meta.ul(0x0002, 0x0000, metaEls.length), metaEls, ...body]);
}

function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h | 0;
}

// ---------------------------------------------------------------- HL7 aECG

export interface AecgOptions {
  /** Scale in uV per digit. */
  scaleUv?: number;
  originUv?: number;
  /** Write a representative-beat derivedSeries before the rhythm series (a reader must ignore it). */
  withDerivedSeries?: boolean;
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function aecgDigit(mv: number, opts: AecgOptions): number {
  return Math.round((mv * 1000 - (opts.originUv ?? 0)) / (opts.scaleUv ?? 1));
}

export function writeAecg(rec: ExportRecord, opts: AecgOptions = {}): string {
  const scale = opts.scaleUv ?? 1;
  const origin = opts.originUv ?? 0;
  const seq = (lead: ExportLead, n: number) => {
    const digits: number[] = [];
    for (let t = 0; t < n; t++) digits.push(aecgDigit(lead.mv[t], opts));
    const code = `MDC_ECG_LEAD_${MDC_LEAD_TERM[lead.name] !== undefined ? lead.name.toUpperCase() : lead.name}`;
    return `        <component>
          <sequence>
            <code code="${code}" codeSystem="2.16.840.1.113883.6.24" codeSystemName="MDC"/>
            <value xsi:type="SLIST_PQ">
              <origin value="${origin}" unit="uV"/>
              <scale value="${scale}" unit="uV"/>
              <digits>${digits.join(' ')}</digits>
            </value>
          </sequence>
        </component>`;
  };
  const sequenceSet = (n: number) => `      <sequenceSet>
        <component>
          <sequence>
            <code code="TIME_ABSOLUTE" codeSystem="2.16.840.1.113883.5.4"/>
            <value xsi:type="GLIST_TS">
              <head value="20001113093000.000"/>
              <increment value="${1 / rec.fsHz}" unit="s"/>
            </value>
          </sequence>
        </component>
${rec.leads.map((l) => seq(l, n)).join('\n')}
      </sequenceSet>`;
  const nSamples = Math.max(...rec.leads.map((l) => l.mv.length));
  const derived = opts.withDerivedSeries
    ? `
      <derivation>
        <derivedSeries>
          <code code="REPRESENTATIVE_BEAT" codeSystem="2.16.840.1.113883.5.4"/>
          <component>
${sequenceSet(Math.min(nSamples, Math.round(rec.fsHz * 0.8)))}
          </component>
        </derivedSeries>
      </derivation>`
    : '';
  const annotations = rec.statements
    .map(
      (s) => `                <component>
                  <annotation>
                    <code code="MDC_ECG_INTERPRETATION_STATEMENT" codeSystem="2.16.840.1.113883.6.24"/>
                    <value xsi:type="ST">${xmlEscape(s)}</value>
                  </annotation>
                </component>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- HL7 aECG written from a public record for testing -->
<AnnotatedECG xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:voc="urn:hl7-org:v3/voc" type="Observation">
  <id root="2.25.${Math.abs(hashString(rec.statements.join('|')))}"/>
  <code code="93000" codeSystem="2.16.840.1.113883.6.12" codeSystemName="CPT-4"/>
  <effectiveTime>
    <low value="20001113093000.000"/>
    <high value="20001113093010.000"/>
  </effectiveTime>
  <component>
    <series>
      <code code="RHYTHM" codeSystem="2.16.840.1.113883.5.4"/>
      <effectiveTime>
        <low value="20001113093000.000"/>
      </effectiveTime>${derived}
      <component>
${sequenceSet(nSamples)}
      </component>
      <subjectOf>
        <annotationSet>
          <component>
            <annotation>
              <code code="MDC_ECG_INTERPRETATION" codeSystem="2.16.840.1.113883.6.24"/>
              <component>
                <annotation>
                  <code code="MDC_ECG_INTERPRETATION_SUMMARY" codeSystem="2.16.840.1.113883.6.24"/>
                  <value xsi:type="CD" code="ABNORMAL" displayName="" />
                </annotation>
              </component>
${annotations}
            </annotation>
          </component>
        </annotationSet>
      </subjectOf>
    </series>
  </component>
</AnnotatedECG>
`;
}

// ---------------------------------------------------------------- EDF

export interface EdfOptions {
  /** Data record duration in seconds. */
  recordS?: number;
  physRangeMv?: number;
  /** Write as EDF+C with an annotation channel. */
  edfPlus?: boolean;
  /** Extra non-ECG channels: label, dimension and physical values. */
  extraChannels?: { label: string; dim: string; values: Float32Array }[];
}

const pad = (s: string, n: number) => (s.length > n ? s.slice(0, n) : s + ' '.repeat(n - s.length));

export function edfDigital(mv: number, rangeMv: number): number {
  return Math.max(-32768, Math.min(32767, Math.round(((mv + rangeMv) / (2 * rangeMv)) * 65535 - 32768)));
}

export function writeEdf(rec: ExportRecord, opts: EdfOptions = {}): Uint8Array {
  const recordS = opts.recordS ?? 1;
  const range = opts.physRangeMv ?? 10;
  const perRecord = Math.round(rec.fsHz * recordS);
  const nSamples = Math.max(0, ...rec.leads.map((l) => l.mv.length), ...(opts.extraChannels ?? []).map((x) => x.values.length));
  const nRecords = Math.ceil(nSamples / perRecord);
  type Sig = { label: string; dim: string; physMin: number; physMax: number; n: number; value: (t: number) => number };
  const sigs: Sig[] = rec.leads.map((l) => ({
    label: `ECG ${l.name}`,
    dim: 'mV',
    physMin: -range,
    physMax: range,
    n: perRecord,
    value: (t) => edfDigital(l.mv[t] ?? 0, range),
  }));
  for (const x of opts.extraChannels ?? []) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of x.values) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    if (!(hi > lo)) hi = lo + 1;
    lo = Number(lo.toPrecision(5));
    hi = Number(hi.toPrecision(5));
    if (!(hi > lo)) hi = lo + 1;
    sigs.push({ label: x.label, dim: x.dim, physMin: lo, physMax: hi, n: perRecord, value: (t) => Math.round((((x.values[t] ?? lo) - lo) / (hi - lo)) * 65535 - 32768) });
  }
  const ANN_N = 30;
  if (opts.edfPlus) sigs.push({ label: 'EDF Annotations', dim: '', physMin: -1, physMax: 1, n: ANN_N, value: () => 0 });
  const ns = sigs.length;
  let h = '';
  h += pad('0', 8) + pad('X M 01-JAN-1970 ptbxl', 80) + pad('Startdate 13-NOV-2000 X X X', 80) + '13.11.00' + '09.30.00';
  h += pad(String(256 * (ns + 1)), 8) + pad(opts.edfPlus ? 'EDF+C' : '', 44) + pad(String(nRecords), 8) + pad(String(recordS), 8) + pad(String(ns), 4);
  const fields: [(s: Sig) => string, number][] = [
    [(s) => s.label, 16],
    [(s) => (s.label === 'EDF Annotations' ? '' : 'AgAgCl electrode'), 80],
    [(s) => s.dim, 8],
    [(s) => String(s.physMin), 8],
    [(s) => String(s.physMax), 8],
    [() => '-32768', 8],
    [() => '32767', 8],
    [(s) => (s.label === 'EDF Annotations' ? '' : 'HP:0.05Hz LP:150Hz'), 80],
    [(s) => String(s.n), 8],
    [() => '', 32],
  ];
  for (const [f, n] of fields) for (const s of sigs) h += pad(f(s), n);
  const header = new TextEncoder().encode(h);
  const recordBytes = sigs.reduce((a, s) => a + 2 * s.n, 0);
  const out = new Uint8Array(header.length + nRecords * recordBytes);
  out.set(header, 0);
  const dv = new DataView(out.buffer);
  let p = header.length;
  for (let r = 0; r < nRecords; r++) {
    for (const s of sigs) {
      if (s.label === 'EDF Annotations') {
        const tal = new TextEncoder().encode(`+${Number((r * recordS).toFixed(6))}\x14\x14\x00`);
        out.set(tal.subarray(0, 2 * s.n), p);
        p += 2 * s.n;
        continue;
      }
      for (let i = 0; i < s.n; i++, p += 2) dv.setInt16(p, s.value(r * perRecord + i), true);
    }
  }
  return out;
}
