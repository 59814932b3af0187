import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeWfdb, parseWfdbHeader, readWfdbRecord } from './wfdb';
import { diskFile, memFile, SHARED_DATA_DIR } from './testing';

const DATA = SHARED_DATA_DIR;

function encode212(samples: number[]): Uint8Array {
  const out = new Uint8Array(Math.ceil(samples.length / 2) * 3);
  for (let k = 0; k < samples.length; k += 2) {
    const a = samples[k] & 0xfff;
    const b = (samples[k + 1] ?? 0) & 0xfff;
    const p = (k / 2) * 3;
    out[p] = a & 0xff;
    out[p + 1] = ((a >> 8) & 0x0f) | ((b >> 8) << 4);
    out[p + 2] = b & 0xff;
  }
  return out;
}

const sumMod = (xs: number[]) => xs.reduce((a, b) => (a + b) & 0xffff, 0);

describe('parseWfdbHeader', () => {
  it('reads record and signal lines with gain(baseline)/units and comments', async () => {
    const text = 'r1 2 250 3\n' + 'r1.dat 212 200(10)/uV 12 0 5 0 0 Lead A\n' + 'r1.dat 212 1000 12 7 0 0 0 II\n# Age: 40\n#<sex>: F\n';
    const h = parseWfdbHeader(text, 'r1.hea');
    expect(h.ok).toBe(true);
    if (!h.ok) return;
    expect(h.value.fsHz).toBe(250);
    expect(h.value.signals[0]).toMatchObject({ gain: 200, baseline: 10, units: 'uV', description: 'Lead A' });
    expect(h.value.signals[1]).toMatchObject({ gain: 1000, baseline: 7, units: 'mV', adcZero: 7 });
    expect(h.value.commentFields).toMatchObject({ Age: '40', sex: 'F' });
  });

  it('reads the segment lines of a multi-segment header', async () => {
    const h = parseWfdbHeader('multi/3 2 360 1000\nmulti_layout 0\nm_1 400\n~ 600\n', 'multi.hea');
    expect(h.ok && h.value.segments).toEqual([
      { name: 'multi_layout', nSamples: 0 },
      { name: 'm_1', nSamples: 400 },
      { name: '~', nSamples: 600 },
    ]);
  });

  it('refuses an unsupported format naming it', async () => {
    const h = parseWfdbHeader('r 1 100 10\nr.dat 413 200 12 0 0 0 0 I\n', 'r.hea');
    expect(h.ok).toBe(false);
    if (!h.ok) expect(h.error.message).toMatch(/format 413/);
  });
});

describe('decodeWfdb', () => {
  it('decodes format 212 (two interleaved signals) with baseline and uV units', async () => {
    const a = [100, -200, 2047, -5];
    const b = [0, 1, -1, 300];
    const inter = a.flatMap((v, i) => [v, b[i]]);
    const text = `r 2 250 4\nr.dat 212 200(10)/uV 12 0 100 ${sumMod(a)} 0 A\nr.dat 212 100/mV 12 0 0 ${sumMod(b)} 0 B\n`;
    const h = parseWfdbHeader(text, 'r.hea');
    if (!h.ok) throw new Error(h.error.message);
    const r = await decodeWfdb(h.value, new Map([['r.dat', encode212(inter)]]), 'r.hea');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Array.from(r.value.signalsMv[0])).toEqual(a.map((v) => ((v - 10) / 200) * 1e-3).map(Math.fround));
    expect(Array.from(r.value.signalsMv[1])).toEqual(b.map((v) => v / 100).map(Math.fround));
  });

  it('decodes formats 80 and 24', async () => {
    const h80 = parseWfdbHeader('r 1 100 3\nr.dat 80 10 8 0 0 0 0 I\n', 'r.hea');
    if (!h80.ok) throw new Error();
    const r80 = await decodeWfdb(h80.value, new Map([['r.dat', new Uint8Array([128, 138, 118])]]), 'r.hea');
    expect(r80.ok && Array.from(r80.value.signalsMv[0])).toEqual([0, 1, -1]);
    const h24 = parseWfdbHeader('r 1 100 2\nr.dat 24 1000 24 0 0 0 0 I\n', 'r.hea');
    if (!h24.ok) throw new Error();
    const r24 = await decodeWfdb(h24.value, new Map([['r.dat', new Uint8Array([0xe8, 0x03, 0x00, 0x18, 0xfc, 0xff])]]), 'r.hea');
    expect(r24.ok && Array.from(r24.value.signalsMv[0])).toEqual([1, -1]);
  });

  it('reports a checksum mismatch naming the lead', async () => {
    const h = parseWfdbHeader('r 1 100 2\nr.dat 16 1000 16 0 0 12345 0 V4\n', 'r.hea');
    if (!h.ok) throw new Error();
    const r = await decodeWfdb(h.value, new Map([['r.dat', new Uint8Array([1, 0, 2, 0])]]), 'r.hea');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/checksum.*V4/);
  });

  it('reports a truncated signal file', async () => {
    const h = parseWfdbHeader('r 1 100 10\nr.dat 16 1000 16 0 0 0 0 I\n', 'r.hea');
    if (!h.ok) throw new Error();
    const r = await decodeWfdb(h.value, new Map([['r.dat', new Uint8Array(7)]]), 'r.hea');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ file: 'r.dat', message: expect.stringMatching(/truncated/) });
  });
});

describe('real records', () => {
  it('PTB-XL 100 Hz (unsigned checksums): 12 leads x 1000 samples in mV', async () => {
    const dir = `${DATA}/ptb-xl/records100/00000`;
    const r = await readWfdbRecord(diskFile(`${dir}/00001_lr.hea`), [diskFile(`${dir}/00001_lr.dat`)]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.record).toMatchObject({ id: '00001_lr', fsHz: 100, nSamples: 1000 });
    expect(r.value.record.leadNames[3]).toBe('AVR');
    expect(r.value.record.signalsMv[0][0]).toBeCloseTo(-0.119, 6);
  });

  it('every PTB-XL 500 Hz record and every LUDB record passes its checksums', async () => {
    const sets = [
      { dir: `${DATA}/ptb-xl/records500/00000`, n: 67 },
      { dir: `${DATA}/ludb/data`, n: 200 },
    ];
    for (const { dir, n } of sets) {
      const heas = readdirSync(dir).filter((f) => f.endsWith('.hea'));
      expect(heas.length).toBe(n);
      for (const f of heas) {
        const base = f.slice(0, -4);
        const r = await readWfdbRecord(diskFile(`${dir}/${f}`), [diskFile(`${dir}/${base}.dat`)]);
        if (!r.ok) throw new Error(`${r.error.file}: ${r.error.message}`);
        expect(r.value.record.signalsMv.length).toBe(12);
        expect(r.value.record.fsHz).toBe(500);
      }
    }
  });

  it('LUDB header comments and signed checksums', async () => {
    const dir = `${DATA}/ludb/data`;
    const r = await readWfdbRecord(diskFile(`${dir}/1.hea`), [diskFile(`${dir}/1.dat`)]);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.header.commentFields.age).toBe('51');
    expect(r.value.header.comments).toContain('Left ventricular hypertrophy.');
    expect(r.value.record.leadNames[3]).toBe('avr');
  });

  it('every CinC 2021 .mat record matches its header checksums', async () => {
    const dir = `${DATA}/cinc2021-sample/records`;
    const heas = readdirSync(dir).filter((f) => f.endsWith('.hea'));
    expect(heas.length).toBe(50);
    for (const f of heas) {
      const base = f.slice(0, -4);
      const r = await readWfdbRecord(diskFile(`${dir}/${f}`), [diskFile(`${dir}/${base}.mat`)]);
      if (!r.ok) throw new Error(`${r.error.file}: ${r.error.message}`);
      expect(r.value.record.nSamples).toBe(5000);
      expect(r.value.header.commentFields.Dx).toMatch(/^\d+/);
    }
  });

  it('a mutated sample in a real .dat is caught by the checksum', async () => {
    const dir = `${DATA}/ptb-xl/records100/00000`;
    const dat = new Uint8Array(readFileSync(`${dir}/00001_lr.dat`));
    dat[2 * 12 * 10 + 2 * 5] ^= 0x01; // sample 10 of lead 6 (AVF)
    const r = await readWfdbRecord(diskFile(`${dir}/00001_lr.hea`), [memFile('x/00001_lr.dat', dat)]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ file: 'x/00001_lr.dat', message: expect.stringMatching(/AVF/) });
  });

  it('a missing .dat is an error naming the header', async () => {
    const dir = `${DATA}/ptb-xl/records100/00000`;
    const r = await readWfdbRecord(diskFile(`${dir}/00001_lr.hea`, 'p/00001_lr.hea'), []);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.file).toBe('p/00001_lr.hea');
  });
});

describe('fuzzing (fixed seed): never throws, errors as Result', () => {
  const hea = readFileSync(`${DATA}/ptb-xl/records100/00000/00001_lr.hea`, 'utf8');
  const dat = new Uint8Array(readFileSync(`${DATA}/ptb-xl/records100/00000/00001_lr.dat`));
  const mat = new Uint8Array(readFileSync(`${DATA}/cinc2021-sample/records/E07500.mat`));
  const matHea = readFileSync(`${DATA}/cinc2021-sample/records/E07500.hea`, 'utf8');

  it('random header text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), async (t) => {
        const r = await readWfdbRecord(memFile('r.hea', t), [memFile('r.dat', dat)]);
        expect(typeof r.ok).toBe('boolean');
      }),
      { seed: 1, numRuns: 200 },
    );
  });

  it('mutated header lines', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(hea.length - 1), fc.string({ maxLength: 12 }), async (pos, ins) => {
        const t = hea.slice(0, pos) + ins + hea.slice(pos + 1);
        const r = await readWfdbRecord(memFile('00001_lr.hea', t), [memFile('00001_lr.dat', dat)]);
        expect(typeof r.ok).toBe('boolean');
      }),
      { seed: 2, numRuns: 200 },
    );
  });

  it('truncated and mutated signal bytes (.dat and .mat)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.nat(), fc.uint8Array({ maxLength: 64 }), async (useMat, cut, noise) => {
        const src = useMat ? mat : dat;
        const bytes = src.slice(0, cut % (src.length + 1));
        bytes.set(noise.slice(0, bytes.length));
        const r = useMat
          ? await readWfdbRecord(memFile('E07500.hea', matHea), [memFile('E07500.mat', bytes)])
          : await readWfdbRecord(memFile('00001_lr.hea', hea), [memFile('00001_lr.dat', bytes)]);
        if (bytes.length < src.length) expect(r.ok).toBe(false);
      }),
      { seed: 3, numRuns: 150 },
    );
  });

  it('random bytes as .mat', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (b) => {
        const r = await readWfdbRecord(memFile('E07500.hea', matHea), [memFile('E07500.mat', b)]);
        expect(r.ok).toBe(false);
      }),
      { seed: 4, numRuns: 200 },
    );
  });
});
