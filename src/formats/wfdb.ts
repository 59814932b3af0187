// WFDB record reader (PhysioNet .hea header + signal file) -> EcgRecord in mV.
// Used for PTB-XL, LUDB, Challenge (.mat) and users' own WFDB files; everything is untrusted input.
import { parseMatV4Int16 } from './cinc-mat';
import { fail, ok, type EcgRecord, type InputFile, type Result } from './types';

const MAX_SIGNALS = 64;
const MAX_TOTAL_SAMPLES = 32 * 1024 * 1024;
const MAX_HEADER_CHARS = 1024 * 1024;
const SUPPORTED_FORMATS = new Set([16, 212, 80, 24, 32]);

export interface WfdbSignal {
  fileName: string;
  format: number;
  /** Byte offset of the first sample in the signal file ("+N" in the format field). */
  byteOffset: number;
  /** ADC units per physical unit. */
  gain: number;
  baseline: number;
  units: string;
  adcResolution: number;
  adcZero: number;
  initialValue: number | null;
  checksum: number | null;
  description: string;
}

export interface WfdbHeader {
  recordName: string;
  nSignals: number;
  fsHz: number;
  /** 0 when the header does not say (derived from the file length). */
  nSamples: number;
  signals: WfdbSignal[];
  /** Comment lines without the leading '#', trimmed. */
  comments: string[];
  /** "key: value" pairs from comments ("# Age: 78" -> Age=78; "#<age>: 51" -> age=51). */
  commentFields: Record<string, string>;
}

const NUM = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Parses the text of a .hea file. */
export function parseWfdbHeader(text: string, file: string): Result<WfdbHeader> {
  if (text.length > MAX_HEADER_CHARS) return fail(file, `header too large (${text.length} chars)`);
  const lines = text.split(/\r\n|\n|\r/);
  const comments: string[] = [];
  const commentFields: Record<string, string> = {};
  const body: { no: number; text: string }[] = [];
  lines.forEach((raw, k) => {
    const t = raw.trim();
    if (t === '') return;
    if (t.startsWith('#')) {
      const c = t.slice(1).trim();
      comments.push(c);
      const m = /^<?([A-Za-z][\w ]*?)>?:\s*(.*)$/.exec(c);
      if (m && !(m[1] in commentFields)) commentFields[m[1].trim()] = m[2].trim();
      return;
    }
    body.push({ no: k + 1, text: t.replace(/#.*$/, '').trim() });
  });
  if (body.length === 0) return fail(file, 'line 1: no record line');
  const rec = body[0];
  const rt = rec.text.split(/\s+/);
  if (rt.length < 2) return fail(file, `line ${rec.no}: record line needs a name and a signal count`);
  const [nameTok, nsigTok, fsTok, nsampTok] = rt;
  if (nameTok.includes('/')) {
    return fail(file, `line ${rec.no}: multi-segment records ("${nameTok}") are not supported; convert to a single-segment record`);
  }
  if (!/^\d+$/.test(nsigTok)) return fail(file, `line ${rec.no}: bad signal count "${nsigTok}"`);
  const nSignals = Number(nsigTok);
  if (nSignals < 1 || nSignals > MAX_SIGNALS) return fail(file, `line ${rec.no}: signal count ${nSignals} out of range 1..${MAX_SIGNALS}`);
  let fsHz = 250;
  if (fsTok !== undefined) {
    const fsNum = fsTok.split(/[/(]/)[0];
    if (!NUM.test(fsNum) || !(Number(fsNum) > 0) || Number(fsNum) > 100000) {
      return fail(file, `line ${rec.no}: bad sampling frequency "${fsTok}"`);
    }
    fsHz = Number(fsNum);
  }
  let nSamples = 0;
  if (nsampTok !== undefined) {
    if (!/^\d+$/.test(nsampTok)) return fail(file, `line ${rec.no}: bad sample count "${nsampTok}"`);
    nSamples = Number(nsampTok);
    if (nSamples * nSignals > MAX_TOTAL_SAMPLES) {
      return fail(file, `line ${rec.no}: ${nSamples} samples x ${nSignals} signals exceeds the limit of ${MAX_TOTAL_SAMPLES}`);
    }
  }
  if (body.length - 1 < nSignals) {
    return fail(file, `line ${rec.no}: header declares ${nSignals} signals but has ${body.length - 1} signal lines`);
  }
  const signals: WfdbSignal[] = [];
  for (let s = 0; s < nSignals; s++) {
    const { no, text: lt } = body[1 + s];
    const tok = lt.split(/\s+/);
    const where = `line ${no}`;
    if (tok.length < 2) return fail(file, `${where}: signal line needs a file name and a format`);
    const fm = /^(\d+)(?:x(\d+))?(?::(\d+))?(?:\+(\d+))?$/.exec(tok[1]);
    if (!fm) return fail(file, `${where}: bad format field "${tok[1]}"`);
    const format = Number(fm[1]);
    if (!SUPPORTED_FORMATS.has(format)) {
      return fail(file, `${where}: WFDB format ${format} is not supported (supported: 16, 212, 80, 24, 32)`);
    }
    if (fm[2] !== undefined && Number(fm[2]) !== 1) {
      return fail(file, `${where}: multi-frequency signals (${fm[2]} samples per frame) are not supported`);
    }
    if (fm[3] !== undefined && Number(fm[3]) !== 0) return fail(file, `${where}: skewed signals are not supported`);
    const byteOffset = fm[4] !== undefined ? Number(fm[4]) : 0;
    if (byteOffset > 1 << 30) return fail(file, `${where}: byte offset ${byteOffset} too large`);
    let gain = 200;
    let baseline: number | null = null;
    let units = 'mV';
    if (tok[2] !== undefined) {
      const gm = /^([^(/]+)(?:\(([^)]*)\))?(?:\/(.+))?$/.exec(tok[2]);
      if (!gm || !NUM.test(gm[1])) return fail(file, `${where}: bad gain field "${tok[2]}"`);
      const g = Number(gm[1]);
      gain = g === 0 ? 200 : g;
      if (!(gain > 0) && !(gain < 0)) return fail(file, `${where}: bad gain "${tok[2]}"`);
      if (gm[2] !== undefined) {
        if (!/^[+-]?\d+$/.test(gm[2])) return fail(file, `${where}: bad baseline in "${tok[2]}"`);
        baseline = Number(gm[2]);
      }
      if (gm[3] !== undefined) units = gm[3];
    }
    const intAt = (k: number, label: string): Result<number | null> => {
      if (tok[k] === undefined) return ok(null);
      if (!/^[+-]?\d+$/.test(tok[k])) return fail(file, `${where}: bad ${label} "${tok[k]}"`);
      return ok(Number(tok[k]));
    };
    const res = intAt(3, 'ADC resolution');
    const zero = intAt(4, 'ADC zero');
    const init = intAt(5, 'initial value');
    const sum = intAt(6, 'checksum');
    const blk = intAt(7, 'block size');
    for (const r of [res, zero, init, sum, blk]) if (!r.ok) return r as Result<never>;
    const adcZero = (zero.ok && zero.value) || 0;
    signals.push({
      fileName: tok[0],
      format,
      byteOffset,
      gain,
      baseline: baseline ?? adcZero,
      units,
      adcResolution: (res.ok && res.value) || 0,
      adcZero,
      initialValue: init.ok ? init.value : null,
      checksum: sum.ok ? sum.value : null,
      description: tok.slice(8).join(' ') || `signal ${s}`,
    });
  }
  return ok({ recordName: nameTok, nSignals, fsHz, nSamples, signals, comments, commentFields });
}

/** Bytes per sample-stream unit for each format: [bytes, samples] per chunk. */
function chunkOf(format: number): [number, number] {
  switch (format) {
    case 212:
      return [3, 2];
    case 80:
      return [1, 1];
    case 24:
      return [3, 1];
    case 32:
      return [4, 1];
    default:
      return [2, 1];
  }
}

/** Decodes `count` samples of one interleaved stream. Invalid-sample sentinels become NaN (checksum uses raw values). */
function decodeStream(bytes: Uint8Array, start: number, format: number, count: number, out: Float64Array, raw: Int32Array) {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let k = 0; k < count; k++) {
    let v: number;
    let invalid = false;
    if (format === 16) {
      v = dv.getInt16(start + 2 * k, true);
      invalid = v === -32768;
    } else if (format === 212) {
      const p = start + 3 * (k >> 1);
      if ((k & 1) === 0) v = bytes[p] | ((bytes[p + 1] & 0x0f) << 8);
      else v = bytes[p + 2] | ((bytes[p + 1] & 0xf0) << 4);
      if (v > 2047) v -= 4096;
      invalid = v === -2048;
    } else if (format === 80) {
      v = bytes[start + k] - 128;
      invalid = v === -128;
    } else if (format === 24) {
      const p = start + 3 * k;
      v = bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16);
      if (v > 0x7fffff) v -= 0x1000000;
      invalid = v === -0x800000;
    } else {
      v = dv.getInt32(start + 4 * k, true);
      invalid = v === -2147483648;
    }
    raw[k] = v;
    out[k] = invalid ? NaN : v;
  }
}

function unitScaleToMv(units: string): number | null {
  const u = units.toLowerCase();
  if (u === 'mv') return 1;
  if (u === 'uv' || u === 'µv' || u === 'μv') return 1e-3;
  if (u === 'v') return 1e3;
  return null;
}

/**
 * Decodes the signal files of a parsed header. `dataFiles` maps the file names used in the header
 * (e.g. "00001_lr.dat") to their bytes. `heaFile` names the header in errors.
 */
export function decodeWfdb(header: WfdbHeader, dataFiles: Map<string, Uint8Array>, heaFile: string): Result<EcgRecord> {
  const groups = new Map<string, number[]>();
  header.signals.forEach((s, i) => {
    const g = groups.get(s.fileName) ?? [];
    g.push(i);
    groups.set(s.fileName, g);
  });
  const raw: Int32Array[] = new Array(header.nSignals);
  const digital: Float64Array[] = new Array(header.nSignals);
  let nSamples = header.nSamples;
  for (const [fileName, idx] of groups) {
    const bytes = dataFiles.get(fileName);
    if (!bytes) return fail(heaFile, `signal file "${fileName}" is missing`);
    const sig0 = header.signals[idx[0]];
    if (idx.some((i) => header.signals[i].format !== sig0.format || header.signals[i].byteOffset !== sig0.byteOffset)) {
      return fail(fileName, 'signals sharing one file must use the same format and offset');
    }
    const k = idx.length;
    const start = sig0.byteOffset;
    let matSamples: Int16Array | null = null;
    if (fileName.toLowerCase().endsWith('.mat')) {
      if (sig0.format !== 16) return fail(fileName, `byte 0: .mat signal files must be format 16, header says ${sig0.format}`);
      const m = parseMatV4Int16(bytes, fileName);
      if (!m.ok) return m;
      if (m.value.rows !== k) return fail(fileName, `byte 4: matrix has ${m.value.rows} rows but the header lists ${k} signals`);
      if (m.value.dataOffsetBytes !== start) {
        return fail(fileName, `byte ${m.value.dataOffsetBytes}: data starts here but the header says +${start}`);
      }
      if (nSamples === 0) nSamples = m.value.cols;
      if (m.value.cols < nSamples) {
        return fail(fileName, `truncated: matrix has ${m.value.cols} samples per lead, header says ${nSamples}`);
      }
      matSamples = m.value.data;
    }
    const [chunkBytes, chunkSamples] = chunkOf(sig0.format);
    const available = Math.max(0, bytes.length - start);
    const streamAvail = Math.floor(available / chunkBytes) * chunkSamples;
    if (nSamples === 0) nSamples = Math.floor(streamAvail / k);
    if (nSamples * header.nSignals > MAX_TOTAL_SAMPLES) return fail(heaFile, `record too long (${nSamples} samples)`);
    const need = nSamples * k;
    if (streamAvail < need) {
      const needBytes = start + Math.ceil(need / chunkSamples) * chunkBytes;
      return fail(fileName, `byte ${bytes.length}: truncated: ${needBytes} bytes needed for ${nSamples} samples x ${k} signals`);
    }
    const stream = new Float64Array(need);
    const rawStream = new Int32Array(need);
    if (matSamples) {
      for (let q = 0; q < need; q++) {
        const v = matSamples[q];
        rawStream[q] = v;
        stream[q] = v === -32768 ? NaN : v;
      }
    } else {
      decodeStream(bytes, start, sig0.format, need, stream, rawStream);
    }
    idx.forEach((sigIndex, j) => {
      const d = new Float64Array(nSamples);
      const r = new Int32Array(nSamples);
      for (let t = 0; t < nSamples; t++) {
        d[t] = stream[t * k + j];
        r[t] = rawStream[t * k + j];
      }
      digital[sigIndex] = d;
      raw[sigIndex] = r;
    });
  }
  const signalsMv: Float32Array[] = [];
  for (let i = 0; i < header.nSignals; i++) {
    const s = header.signals[i];
    if (s.checksum !== null) {
      let sum = 0;
      const r = raw[i];
      for (let t = 0; t < r.length; t++) sum = (sum + r[t]) & 0xffff;
      if (sum !== (((s.checksum % 65536) + 65536) % 65536)) {
        return fail(s.fileName, `checksum mismatch for lead ${s.description} (signal ${i}): header ${s.checksum}, data ${sum}`);
      }
    }
    const scale = unitScaleToMv(s.units);
    if (scale === null) return fail(heaFile, `signal ${i} (${s.description}): units "${s.units}" are not a voltage`);
    const out = new Float32Array(nSamples);
    const d = digital[i];
    for (let t = 0; t < nSamples; t++) out[t] = ((d[t] - s.baseline) / s.gain) * scale;
    signalsMv.push(out);
  }
  return ok({
    id: header.recordName,
    fsHz: header.fsHz,
    nSamples,
    leadNames: header.signals.map((s) => s.description),
    signalsMv,
  });
}

function baseName(path: string): string {
  const k = path.lastIndexOf('/');
  return k < 0 ? path : path.slice(k + 1);
}

/** Reads a .hea and the signal files it names (matched by base name among `dataFiles`). Never throws. */
export async function readWfdbRecord(
  hea: InputFile,
  dataFiles: InputFile[],
): Promise<Result<{ header: WfdbHeader; record: EcgRecord }>> {
  try {
    if (hea.sizeBytes > MAX_HEADER_CHARS) return fail(hea.path, `header too large (${hea.sizeBytes} bytes)`);
    const text = new TextDecoder('utf-8').decode(await hea.read());
    const h = parseWfdbHeader(text, hea.path);
    if (!h.ok) return h;
    const byName = new Map<string, Uint8Array>();
    for (const name of new Set(h.value.signals.map((s) => s.fileName))) {
      const f = dataFiles.find((d) => baseName(d.path) === baseName(name));
      if (!f) return fail(hea.path, `signal file "${name}" is missing`);
      if (f.sizeBytes > MAX_TOTAL_SAMPLES * 4 + (1 << 20)) return fail(f.path, `file too large (${f.sizeBytes} bytes)`);
      byName.set(name, await f.read());
    }
    const rec = decodeWfdb(h.value, byName, hea.path);
    if (!rec.ok) {
      // Name the data file by its full path when the error is about it.
      const df = dataFiles.find((d) => baseName(d.path) === rec.error.file);
      return df ? fail(df.path, rec.error.message) : rec;
    }
    return ok({ header: h.value, record: rec.value });
  } catch (e) {
    return fail(hea.path, `could not read record: ${(e as Error).message}`);
  }
}
