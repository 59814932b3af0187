// WFDB header (.hea) parser: the record line, signal specification lines (format, samples per frame,
// skew, byte offset, gain/baseline/units, ADC fields, checksum) and, for multi-segment records, the
// segment lines. Untrusted text: every field is validated and every error names the line.
import { fail, ok, type Result } from '../types';

export const MAX_SIGNALS = 64;
export const MAX_SEGMENTS = 100_000;
export const MAX_HEADER_CHARS = 1024 * 1024;
/** Samples per frame above this are refused (no real record comes near it). */
export const MAX_SAMPLES_PER_FRAME = 1024;
/** Sample counts above this are refused (2^40 frames: years of data at kHz rates). */
export const MAX_RECORD_SAMPLES = 2 ** 40;
/** Formats the decoder reads; 0 is the null signal (no file data). */
export const SUPPORTED_FORMATS: readonly number[] = [0, 8, 16, 24, 32, 61, 80, 160, 212, 310, 311, 508, 516, 524];

export interface WfdbSignal {
  fileName: string;
  format: number;
  /** Samples of this signal in each frame ("212x4" -> 4). */
  samplesPerFrame: number;
  /** Skew in samples as written in the header (":N"); the reader delays this signal by round(skew / spf) frames. */
  skew: number;
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
  blockSize: number;
  description: string;
}

/** One segment of a multi-segment record; name "~" is a null segment (a gap of nSamples frames). */
export interface WfdbSegmentRef {
  name: string;
  nSamples: number;
}

export interface WfdbHeader {
  recordName: string;
  nSignals: number;
  /** Frame rate in Hz (a signal with spf samples per frame runs at fsHz * spf). */
  fsHz: number;
  /** Frames in the record; 0 when the header does not say (derived from the file length). */
  nSamples: number;
  signals: WfdbSignal[];
  /** Multi-segment records only: the segments in order (signals is then empty). */
  segments: WfdbSegmentRef[] | null;
  /** Comment lines without the leading '#', trimmed. */
  comments: string[];
  /** "key: value" pairs from comments ("# Age: 78" -> Age=78; "#<age>: 51" -> age=51). */
  commentFields: Record<string, string>;
}

const NUM = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INT = /^[+-]?\d+$/;

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
  const slash = nameTok.indexOf('/');
  const recordName = slash < 0 ? nameTok : nameTok.slice(0, slash);
  let nSegments = 0;
  if (slash >= 0) {
    const segTok = nameTok.slice(slash + 1);
    if (!/^\d+$/.test(segTok) || Number(segTok) < 1 || Number(segTok) > MAX_SEGMENTS) {
      return fail(file, `line ${rec.no}: bad segment count "${segTok}" (1..${MAX_SEGMENTS})`);
    }
    nSegments = Number(segTok);
  }
  if (!/^\d+$/.test(nsigTok)) return fail(file, `line ${rec.no}: bad signal count "${nsigTok}"`);
  const nSignals = Number(nsigTok);
  const minSignals = nSegments > 0 ? 0 : 1;
  if (nSignals < minSignals || nSignals > MAX_SIGNALS) return fail(file, `line ${rec.no}: signal count ${nSignals} out of range ${minSignals}..${MAX_SIGNALS}`);
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
    if (nSamples > MAX_RECORD_SAMPLES) return fail(file, `line ${rec.no}: ${nSamples} samples exceeds the limit of ${MAX_RECORD_SAMPLES}`);
  }
  const head = { recordName, nSignals, fsHz, nSamples, comments, commentFields };
  if (nSegments > 0) {
    const segs = parseSegmentLines(body.slice(1), nSegments, file);
    if (!segs.ok) return segs;
    const total = segs.value.reduce((a, s) => a + s.nSamples, 0);
    return ok({ ...head, nSamples: nSamples || total, signals: [], segments: segs.value });
  }
  if (body.length - 1 < nSignals) {
    return fail(file, `line ${rec.no}: header declares ${nSignals} signals but has ${body.length - 1} signal lines`);
  }
  const signals: WfdbSignal[] = [];
  for (let s = 0; s < nSignals; s++) {
    const sig = parseSignalLine(body[1 + s], s, file);
    if (!sig.ok) return sig;
    signals.push(sig.value);
  }
  return ok({ ...head, signals, segments: null });
}

function parseSegmentLines(lines: { no: number; text: string }[], n: number, file: string): Result<WfdbSegmentRef[]> {
  if (lines.length < n) return fail(file, `line 1: header declares ${n} segments but has ${lines.length} segment lines`);
  const out: WfdbSegmentRef[] = [];
  for (let k = 0; k < n; k++) {
    const { no, text } = lines[k];
    const tok = text.split(/\s+/);
    if (tok.length < 2 || !/^\d+$/.test(tok[1])) return fail(file, `line ${no}: segment line needs a record name and a sample count`);
    const name = tok[0];
    if (name !== '~' && !/^[\w.-]+$/.test(name)) return fail(file, `line ${no}: bad segment name "${name}"`);
    const nSamples = Number(tok[1]);
    if (nSamples > MAX_RECORD_SAMPLES) return fail(file, `line ${no}: segment length ${nSamples} too large`);
    out.push({ name, nSamples });
  }
  return ok(out);
}

function parseSignalLine(line: { no: number; text: string }, s: number, file: string): Result<WfdbSignal> {
  const { no, text: lt } = line;
  const tok = lt.split(/\s+/);
  const where = `line ${no}`;
  if (tok.length < 2) return fail(file, `${where}: signal line needs a file name and a format`);
  const fm = /^(\d+)(?:x(\d+))?(?::(\d+))?(?:\+(\d+))?$/.exec(tok[1]);
  if (!fm) return fail(file, `${where}: bad format field "${tok[1]}"`);
  const format = Number(fm[1]);
  if (!SUPPORTED_FORMATS.includes(format)) {
    return fail(file, `${where}: WFDB format ${format} is not supported (supported: ${SUPPORTED_FORMATS.filter((f) => f > 0).join(', ')})`);
  }
  const samplesPerFrame = fm[2] !== undefined ? Math.max(1, Number(fm[2])) : 1;
  if (samplesPerFrame > MAX_SAMPLES_PER_FRAME) return fail(file, `${where}: ${samplesPerFrame} samples per frame is more than ${MAX_SAMPLES_PER_FRAME}`);
  const skew = fm[3] !== undefined ? Number(fm[3]) : 0;
  if (skew > 1 << 24) return fail(file, `${where}: skew ${skew} too large`);
  const byteOffset = fm[4] !== undefined ? Number(fm[4]) : 0;
  if (byteOffset > 2 ** 40) return fail(file, `${where}: byte offset ${byteOffset} too large`);
  let gain = 200;
  let baseline: number | null = null;
  let units = 'mV';
  if (tok[2] !== undefined) {
    const gm = /^([^(/]+)(?:\(([^)]*)\))?(?:\/(.+))?$/.exec(tok[2]);
    if (!gm || !NUM.test(gm[1])) return fail(file, `${where}: bad gain field "${tok[2]}"`);
    const g = Number(gm[1]);
    gain = g === 0 ? 200 : g;
    if (!Number.isFinite(gain)) return fail(file, `${where}: bad gain "${tok[2]}"`);
    if (gm[2] !== undefined) {
      if (!INT.test(gm[2])) return fail(file, `${where}: bad baseline in "${tok[2]}"`);
      baseline = Number(gm[2]);
    }
    if (gm[3] !== undefined) units = gm[3];
  }
  const ints: (number | null)[] = [];
  const labels = ['ADC resolution', 'ADC zero', 'initial value', 'checksum', 'block size'];
  for (let k = 0; k < labels.length; k++) {
    const t = tok[3 + k];
    if (t === undefined) ints.push(null);
    else if (!INT.test(t)) return fail(file, `${where}: bad ${labels[k]} "${t}"`);
    else ints.push(Number(t));
  }
  const [res, zero, init, sum, blk] = ints;
  const adcZero = zero ?? 0;
  return ok({
    fileName: tok[0],
    format,
    samplesPerFrame,
    skew,
    byteOffset,
    gain,
    baseline: baseline ?? adcZero,
    units,
    adcResolution: res ?? 0,
    adcZero,
    initialValue: init,
    checksum: sum,
    blockSize: blk ?? 0,
    description: tok.slice(8).join(' ') || `signal ${s}`,
  });
}
