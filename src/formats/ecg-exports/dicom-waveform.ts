// DICOM ECG waveform (12-Lead / General / Ambulatory ECG Waveform Storage, or any dataset with a Waveform
// Sequence) -> EcgExport. The first rhythm multiplex group is read: channels from the Channel Definition
// Sequence (coded source -> standard lead name), samples interleaved by channel, 16-bit (SS/US) or 8-bit
// (SB/UB, or G.711 mu-law/A-law MB/AB expanded to 16-bit linear), physical value = raw * sensitivity * correction + baseline * correction (PS3.3 C.10.9.1.4.3),
// in the channel's units (uV/mV). Waveform annotations without a numeric value or sample reference are the
// interpretation statements.
import * as dicomNs from 'dicom-parser';
import { fail, ok, type Result } from '../types';
import { aLawToLinear, muLawToLinear } from './g711';
import { inflateRawCapped } from './inflate';
import { standardLeadFromCode, standardLeadFromLabel, toMvFactor } from './leads';
import { MAX_EXPORT_LEADS, MAX_EXPORT_SAMPLES, uniqueStatements, type EcgExport } from './types';

// The package is UMD: Node's ESM loader exposes it as a default export, bundlers as a namespace.
const dicomParser: typeof dicomNs = (dicomNs as unknown as { default?: typeof dicomNs }).default ?? dicomNs;

type DataSet = dicomNs.DataSet;

export const ECG_SOP_CLASSES: Record<string, string> = {
  '1.2.840.10008.5.1.4.1.1.9.1.1': '12-lead ECG Waveform Storage',
  '1.2.840.10008.5.1.4.1.1.9.1.2': 'General ECG Waveform Storage',
  '1.2.840.10008.5.1.4.1.1.9.1.3': 'Ambulatory ECG Waveform Storage',
};
const TS_EXPLICIT_BE = '1.2.840.10008.1.2.2';
const MAX_INFLATED_BYTES = 256 * 1024 * 1024;

const T = {
  sopClass: 'x00080016',
  mediaSopClass: 'x00020002',
  transferSyntax: 'x00020010',
  waveformSeq: 'x54000100',
  groupLabel: 'x003a0020',
  nChannels: 'x003a0005',
  nSamples: 'x003a0010',
  fsHz: 'x003a001a',
  bitsAllocated: 'x54001004',
  interpretation: 'x54001006',
  padding: 'x5400100a',
  data: 'x54001010',
  channelDefs: 'x003a0200',
  channelSource: 'x003a0208',
  channelLabel: 'x003a0203',
  sensitivity: 'x003a0210',
  sensitivityUnits: 'x003a0211',
  correction: 'x003a0212',
  baseline: 'x003a0213',
  codeValue: 'x00080100',
  scheme: 'x00080102',
  meaning: 'x00080104',
  annotations: 'x0040b020',
  unformattedText: 'x00700006',
  conceptName: 'x0040a043',
  conceptCode: 'x0040a168',
  numericValue: 'x0040a30a',
  samplePositions: 'x0040a132',
  timeOffsets: 'x0040a138',
  sex: 'x00100040',
  age: 'x00101010',
} as const;

const errText = (e: unknown) =>
  e instanceof Error ? e.message : typeof e === 'string' ? e : String((e as { exception?: string })?.exception ?? e);

function parse(bytes: Uint8Array): DataSet {
  return dicomParser.parseDicom(bytes, {
    inflater: (arr: Uint8Array, position: number) => {
      const inflated = inflateRawCapped(arr.subarray(position), MAX_INFLATED_BYTES);
      const full = new Uint8Array(position + inflated.length);
      full.set(arr.subarray(0, position), 0);
      full.set(inflated, position);
      return full;
    },
  } as dicomNs.ParseDicomOptions);
}

/** Reads only the meta group and the SOP class: is this DICOM an ECG waveform? (null: not readable). */
export function dicomWaveformKind(bytes: Uint8Array): { isWaveform: boolean; sopClass: string } | null {
  try {
    const ds = parse(bytes);
    const sopClass = ds.string(T.sopClass) ?? ds.string(T.mediaSopClass) ?? '';
    return { isWaveform: sopClass in ECG_SOP_CLASSES || !!ds.elements[T.waveformSeq], sopClass };
  } catch {
    // A damaged dataset: the meta group alone still says what the file is meant to be.
    try {
      const meta = dicomParser.readPart10Header(bytes);
      const sopClass = meta.string(T.mediaSopClass) ?? '';
      return sopClass ? { isWaveform: sopClass in ECG_SOP_CLASSES, sopClass } : null;
    } catch {
      return null;
    }
  }
}

const items = (ds: DataSet, tag: string): DataSet[] =>
  (ds.elements[tag]?.items ?? []).map((i) => i.dataSet).filter((d): d is DataSet => !!d);

function codeMeaning(ds: DataSet, seqTag: string): string {
  const it = items(ds, seqTag)[0];
  return it ? (it.string(T.meaning) ?? it.string(T.codeValue) ?? '') : '';
}

function leadName(ch: DataSet, k: number): { name: string; standard: boolean } {
  const src = items(ch, T.channelSource)[0];
  const meaning = src?.string(T.meaning) ?? '';
  const byCode = src ? standardLeadFromCode(src.string(T.codeValue) ?? '', src.string(T.scheme) ?? '') : null;
  const label = ch.string(T.channelLabel) ?? '';
  const std = byCode ?? standardLeadFromLabel(meaning) ?? standardLeadFromLabel(label);
  if (std) return { name: std, standard: true };
  const own = (meaning || label).replace(/^lead\s+/i, '').trim();
  return { name: own || `channel ${k + 1}`, standard: false };
}

function statementsOf(ds: DataSet): string[] {
  const out: string[] = [];
  for (const a of items(ds, T.annotations)) {
    if (a.elements[T.numericValue] || a.elements[T.samplePositions] || a.elements[T.timeOffsets]) continue;
    const text = a.text(T.unformattedText);
    if (text) out.push(...text.split(/\r\n|\n|\r/));
    else {
      const coded = codeMeaning(a, T.conceptCode) || codeMeaning(a, T.conceptName);
      if (coded) out.push(coded);
    }
  }
  return uniqueStatements(out);
}

/** Picks the multiplex group to read: the first rhythm group, else the first that is not a median beat. */
function pickGroup(groups: DataSet[]): { group: DataSet; index: number } | null {
  const label = (g: DataSet) => (g.string(T.groupLabel) ?? '').toUpperCase();
  let index = groups.findIndex((g) => /RHYTHM/.test(label(g)));
  if (index < 0) index = groups.findIndex((g) => !/MEDIAN|REPRESENTATIVE|BEAT/.test(label(g)));
  if (index < 0) index = groups.length ? 0 : -1;
  return index < 0 ? null : { group: groups[index], index };
}

export function parseDicomWaveform(bytes: Uint8Array, file: string): Result<EcgExport> {
  let ds: DataSet;
  try {
    ds = parse(bytes);
  } catch (e) {
    return fail(file, `not a readable DICOM file (truncated or damaged): ${errText(e)}`);
  }
  try {
    const sopClass = ds.string(T.sopClass) ?? ds.string(T.mediaSopClass) ?? '';
    const groups = items(ds, T.waveformSeq);
    if (!groups.length) return fail(file, `no Waveform Sequence (5400,0100)${sopClass ? ` in SOP class ${sopClass}` : ''}`);
    const picked = pickGroup(groups)!;
    const g = picked.group;
    const where = `Waveform Sequence item ${picked.index + 1}`;
    const nChannels = g.uint16(T.nChannels) ?? 0;
    const nSamples = g.uint32(T.nSamples) ?? 0;
    const fsHz = g.floatString(T.fsHz) ?? 0;
    const bits = g.uint16(T.bitsAllocated) ?? 0;
    const interp = (g.string(T.interpretation) ?? '').toUpperCase();
    if (!(nChannels > 0 && nChannels <= MAX_EXPORT_LEADS)) return fail(file, `${where}: bad number of channels ${nChannels} (1..${MAX_EXPORT_LEADS})`);
    if (!(nSamples > 0)) return fail(file, `${where}: no samples`);
    if (nChannels * nSamples > MAX_EXPORT_SAMPLES) return fail(file, `${where}: ${nChannels} channels x ${nSamples} samples exceed the limit`);
    if (!(fsHz > 0 && Number.isFinite(fsHz))) return fail(file, `${where}: bad sampling frequency ${fsHz} Hz`);
    const kinds: Record<string, number> = { SS: 16, US: 16, SB: 8, UB: 8, MB: 8, AB: 8 };
    if (kinds[interp] === undefined) {
      return fail(file, `${where}: waveform sample interpretation "${interp}" is not supported (SS, US, SB, UB, MB, AB)`);
    }
    if (bits !== kinds[interp]) return fail(file, `${where}: ${bits} bits allocated do not match sample interpretation ${interp}`);
    const defs = items(g, T.channelDefs);
    if (defs.length !== nChannels) return fail(file, `${where}: ${defs.length} channel definitions for ${nChannels} channels`);
    const dataEl = g.elements[T.data];
    if (!dataEl) return fail(file, `${where}: no Waveform Data (5400,1010)`);
    const bytesPer = bits / 8;
    const need = nChannels * nSamples * bytesPer;
    const buf = g.byteArray;
    if (dataEl.length < need || dataEl.dataOffset + need > buf.length) {
      return fail(file, `byte ${dataEl.dataOffset}: waveform data has ${dataEl.length} bytes, ${need} needed (truncated?)`);
    }
    const littleEndian = (ds.string(T.transferSyntax) ?? '') !== TS_EXPLICIT_BE;
    const dv = new DataView(buf.buffer, buf.byteOffset + dataEl.dataOffset, need);
    const padEl = g.elements[T.padding];
    const padding =
      padEl && padEl.length >= bytesPer
        ? new DataView(buf.buffer, buf.byteOffset + padEl.dataOffset, bytesPer)
        : null;
    const read = (dview: DataView, k: number) =>
      interp === 'SS'
        ? dview.getInt16(2 * k, littleEndian)
        : interp === 'US'
          ? dview.getUint16(2 * k, littleEndian)
          : interp === 'SB'
            ? dview.getInt8(k)
            : interp === 'MB'
              ? muLawToLinear(dview.getUint8(k))
              : interp === 'AB'
                ? aLawToLinear(dview.getUint8(k))
                : dview.getUint8(k);
    const padValue = padding ? read(padding, 0) : null;

    const leadNames: string[] = [];
    const signalsMv: Float32Array[] = [];
    const dropped: string[] = [];
    defs.forEach((ch, c) => {
      const lead = leadName(ch, c);
      const unitsIt = items(ch, T.sensitivityUnits)[0];
      const unit = unitsIt?.string(T.codeValue) ?? unitsIt?.string(T.meaning) ?? 'uV';
      const factor = toMvFactor(unit);
      if (factor === null) {
        dropped.push(`${lead.name} (${unit})`);
        return;
      }
      const sens = ch.floatString(T.sensitivity) ?? 1;
      const corr = ch.floatString(T.correction) ?? 1;
      const base = ch.floatString(T.baseline) ?? 0;
      const gain = sens * corr * factor;
      const offset = base * corr * factor;
      const out = new Float32Array(nSamples);
      for (let t = 0; t < nSamples; t++) {
        const raw = read(dv, t * nChannels + c);
        out[t] = raw === padValue ? NaN : raw * gain + offset;
      }
      leadNames.push(lead.name);
      signalsMv.push(out);
    });
    if (!signalsMv.length) return fail(file, `${where}: no voltage channel (channels: ${dropped.join(', ')})`);
    const notes: string[] = [];
    if (dropped.length) notes.push(`dropped non-voltage channels: ${dropped.join(', ')}`);
    if (groups.length > 1) notes.push(`read multiplex group ${picked.index + 1} of ${groups.length} (${g.string(T.groupLabel) ?? 'unlabelled'})`);
    const meta: Record<string, string | number> = {
      layout: 'dicom-ecg',
      fsHz,
      durationS: Math.round((nSamples / fsHz) * 100) / 100,
    };
    if (sopClass) meta.sopClass = ECG_SOP_CLASSES[sopClass] ?? sopClass;
    const sex = ds.string(T.sex);
    if (sex) meta.sex = /^f/i.test(sex) ? 'female' : /^m/i.test(sex) ? 'male' : sex;
    const age = /^(\d{3})Y$/.exec(ds.string(T.age) ?? '');
    if (age) meta.age = Number(age[1]);
    return ok({ record: { id: file, fsHz, nSamples, leadNames, signalsMv }, statements: statementsOf(ds), notes, meta });
  } catch (e) {
    return fail(file, `could not read the waveform: ${errText(e)}`);
  }
}
