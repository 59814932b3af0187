import fc from 'fast-check';
import { zipSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { memFile } from './testing';
import { expandZips, openZip } from './zip';

const ZIP64_SAMPLE = Uint8Array.from(
  '504b03042d000000080000002100acba0af8ffffffffffffffff05001400612e747874010010000b000000000000000d00000000000000cb48cdc9c957a8ca2c30330100504b01022d032d000000080000002100acba0af80d0000000b000000050000000000000000000000800100000000612e747874504b0506000000000100010033000000440000000000'.match(/../g)!,
  (h) => parseInt(h, 16),
);

describe('.zip archives read like folders', () => {
  it('lists entries under the archive name and inflates each on read', async () => {
    const zip = zipSync({ 'records/a.hea': strToU8('a 1 100 10\n'), 'records/b.txt': strToU8('hello'), 'empty/': new Uint8Array(0) });
    const r = await expandZips([memFile('in/x.zip', zip), memFile('in/y.png', new Uint8Array([1]))]);
    expect(r.errors).toEqual([]);
    expect(r.files.map((f) => f.path).sort()).toEqual(['in/x.zip/records/a.hea', 'in/x.zip/records/b.txt', 'in/y.png']);
    const b = r.files.find((f) => f.path.endsWith('b.txt'))!;
    expect(b.sizeBytes).toBe(5);
    expect(new TextDecoder().decode(await b.read())).toBe('hello');
  });

  it('a corrupt archive is one named error; entries leaving the folder and nested zips are skipped by name', async () => {
    const bad = await openZip(memFile('bad.zip', new Uint8Array([0x50, 0x4b, 3, 4, 9, 9, 9])));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatchObject({ file: 'bad.zip', message: expect.stringMatching(/corrupt zip archive/) });
    const notZip = await openZip(memFile('n.zip', strToU8('plain text')));
    expect(notZip.ok).toBe(false);
    if (!notZip.ok) expect(notZip.error.message).toMatch(/not a zip archive/);
    const z = await openZip(memFile('z.zip', zipSync({ '../evil.txt': strToU8('x'), 'inner.zip': zipSync({ a: strToU8('a') }), 'ok.txt': strToU8('ok') })));
    if (!z.ok) throw new Error(z.error.message);
    expect(z.value.files.map((f) => f.path)).toEqual(['z.zip/ok.txt']);
    expect(z.value.errors.map((e) => e.message).sort()).toEqual(['a zip inside a zip is not opened; skipped', 'entry name leaves the archive folder; skipped']);
  });

  it('encrypted entries are skipped by name; zip64 records (Python zipfile, force_zip64) are read', async () => {
    const zip = zipSync({ 'secret.txt': strToU8('x'), 'plain.txt': strToU8('y') });
    const dv = new DataView(zip.buffer);
    for (let i = 0; i + 4 <= zip.length; i++) {
      if (dv.getUint32(i, true) === 0x02014b50 && new TextDecoder().decode(zip.subarray(i + 46, i + 56)) === 'secret.txt') dv.setUint16(i + 8, 1, true);
    }
    const r = await openZip(memFile('e.zip', zip));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.files.map((f) => f.path)).toEqual(['e.zip/plain.txt']);
    expect(r.value.errors).toEqual([{ file: 'e.zip/secret.txt', message: 'encrypted entry; skipped' }]);
    // Bytes of `zipfile.ZipFile(..., allowZip64=True)` with `z.open('a.txt', 'w', force_zip64=True)`.
    const z64 = await openZip(memFile('z64.zip', ZIP64_SAMPLE));
    if (!z64.ok) throw new Error(z64.error.message);
    expect(new TextDecoder().decode(await z64.value.files[0].read())).toBe('hello zip64');
  });

  it('forged uncompressed sizes: refused before inflating over the total cap; an entry never inflates past its own', async () => {
    const forge = (zip: Uint8Array, size: number) => {
      // Every central-directory header (PK\1\2) gets the forged uncompressed size (offset 24).
      const dv = new DataView(zip.buffer);
      for (let i = 0; i + 4 <= zip.length; i++) if (dv.getUint32(i, true) === 0x02014b50) dv.setUint32(i + 24, size, true);
      return zip;
    };
    const bomb = await openZip(memFile('bomb.zip', forge(zipSync({ a: new Uint8Array(1000), b: new Uint8Array(1000) }), 0xfffffff0)));
    expect(bomb.ok).toBe(false);
    if (!bomb.ok) expect(bomb.error).toMatchObject({ file: 'bomb.zip', message: expect.stringMatching(/declare \d+ bytes uncompressed/) });
    const small = await openZip(memFile('s.zip', forge(zipSync({ a: new Uint8Array(1000).fill(1) }), 10)));
    if (!small.ok) throw new Error(small.error.message);
    expect(small.value.files[0].sizeBytes).toBe(10);
    const got = (await small.value.files[0].read()).length;
    // Bounded: the entry is cut at its declared size (its own parser then reports it truncated).
    expect(got).toBe(10);
  });

  it('fuzzing (fixed seed): damaged archives never throw and never hang', async () => {
    const good = zipSync({ 'a/b.hea': strToU8('rec 1 100 10\n'), 'a/b.dat': new Uint8Array(40).fill(7), 'c.xml': strToU8('<a/>') });
    await fc.assert(
      fc.asyncProperty(fc.nat(good.length - 1), fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.nat(good.length), async (pos, noise, cut) => {
        const b = good.slice(0, Math.max(4, cut));
        b.set(noise.subarray(0, Math.max(0, b.length - pos)), Math.min(pos, b.length));
        const r = await openZip(memFile('f.zip', b));
        if (!r.ok) expect(r.error.file).toBe('f.zip');
        else for (const f of r.value.files) await f.read().catch((e: Error) => expect(e.message).toMatch(/zip entry/));
      }),
      { seed: 17, numRuns: 300 },
    );
  });
});
