// A minimal DICOM Part 10 writer for tests: explicit VR little endian, optional SOP Instance UIDs,
// native 16-bit pixels or an encapsulated fragment.
const LONG = new Set(['OB', 'OW', 'SQ', 'UN', 'UT']);

function el(group: number, element: number, vr: string, value: Uint8Array, undefinedLength = false): Uint8Array {
  const v = value.length % 2 ? new Uint8Array([...value, vr === 'UI' || vr === 'OB' ? 0 : 0x20]) : value;
  const long = LONG.has(vr);
  const head = new Uint8Array(long ? 12 : 8);
  const dv = new DataView(head.buffer);
  dv.setUint16(0, group, true);
  dv.setUint16(2, element, true);
  head[4] = vr.charCodeAt(0);
  head[5] = vr.charCodeAt(1);
  if (long) dv.setUint32(8, undefinedLength ? 0xffffffff : v.length, true);
  else dv.setUint16(6, v.length, true);
  return new Uint8Array([...head, ...v]);
}

const str = (s: string) => new TextEncoder().encode(s);
const us = (n: number) => new Uint8Array(new Uint16Array([n]).buffer);

export function buildDicom(o: { rows: number; cols: number; pixels: Uint8Array; metaUid?: string; datasetUid?: string; encapsulated?: boolean }): Uint8Array {
  const meta = [el(0x0002, 0x0010, 'UI', str(o.encapsulated ? '1.2.840.10008.1.2.4.50' : '1.2.840.10008.1.2.1'))];
  if (o.metaUid) meta.unshift(el(0x0002, 0x0003, 'UI', str(o.metaUid)));
  const metaLen = meta.reduce((a, b) => a + b.length, 0);
  const parts: Uint8Array[] = [new Uint8Array(128), str('DICM'), el(0x0002, 0x0000, 'UL', new Uint8Array(new Uint32Array([metaLen]).buffer)), ...meta];
  if (o.datasetUid) parts.push(el(0x0008, 0x0018, 'UI', str(o.datasetUid)));
  parts.push(el(0x0028, 0x0002, 'US', us(1)), el(0x0028, 0x0010, 'US', us(o.rows)), el(0x0028, 0x0011, 'US', us(o.cols)), el(0x0028, 0x0100, 'US', us(16)));
  if (o.encapsulated) {
    const item = (b: Uint8Array) => {
      const h = new Uint8Array(8);
      const dv = new DataView(h.buffer);
      dv.setUint16(0, 0xfffe, true);
      dv.setUint16(2, 0xe000, true);
      dv.setUint32(4, b.length, true);
      return new Uint8Array([...h, ...b]);
    };
    const end = new Uint8Array(8);
    new DataView(end.buffer).setUint16(0, 0xfffe, true);
    new DataView(end.buffer).setUint16(2, 0xe0dd, true);
    parts.push(el(0x7fe0, 0x0010, 'OB', new Uint8Array(0), true), item(new Uint8Array(0)), item(o.pixels), end);
  } else {
    parts.push(el(0x7fe0, 0x0010, 'OW', o.pixels));
  }
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let k = 0;
  for (const p of parts) {
    out.set(p, k);
    k += p.length;
  }
  return out;
}
