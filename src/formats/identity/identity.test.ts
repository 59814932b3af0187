// Content identity: the hash of a multi-file record depends on the bytes and their roles, not on the
// names, folders or the order files were given; the SOP Instance UID is read from the DICOM meta group.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { contentHash, hashOrder, sha256Hex } from './content-hash';
import { sopInstanceUid } from './sop-instance-uid';
import { memFile, SHARED_DATA_DIR } from '../testing';
import { buildDicom } from '../integrity/dicom-fixture';

const rec = `${SHARED_DATA_DIR}/ptb-xl/records100/00000`;
const hea = readFileSync(`${rec}/00001_lr.hea`);
const dat = readFileSync(`${rec}/00001_lr.dat`);

describe('contentHash', () => {
  it('is the SHA-256 of length-prefixed files (known vector for one empty file)', async () => {
    // One empty file = sha256 of 8 zero bytes.
    expect(await contentHash([memFile('a.png', new Uint8Array(0))])).toBe(await sha256Hex(new Uint8Array(8)));
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hashes a WFDB record the same under other names, folders and file order', async () => {
    const a = await contentHash([memFile('x/00001_lr.hea', hea), memFile('x/00001_lr.dat', dat)]);
    const b = await contentHash([memFile('other/deeper/00001_lr.dat', dat), memFile('other/deeper/00001_lr.hea', hea)]);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(b).toBe(a);
    expect(hashOrder([memFile('r.dat', dat), memFile('r.hea', hea)]).map((f) => f.path)).toEqual(['r.hea', 'r.dat']);
  });

  it('changes when one byte of any file changes, or when bytes move from one file to the other', async () => {
    const base = await contentHash([memFile('r.hea', hea), memFile('r.dat', dat)]);
    const flipped = new Uint8Array(dat);
    flipped[1000] ^= 1;
    expect(await contentHash([memFile('r.hea', hea), memFile('r.dat', flipped)])).not.toBe(base);
    const heaPlus = new Uint8Array([...hea, dat[0]]);
    expect(await contentHash([memFile('r.hea', heaPlus), memFile('r.dat', dat.subarray(1))])).not.toBe(base);
    expect(await contentHash([memFile('r.hea', hea)])).not.toBe(base);
  });
});

describe('sopInstanceUid', () => {
  it('reads the UID from the file meta group, else from (0008,0018); null for other files', () => {
    const uid = '1.2.826.0.1.3680043.8.498.12345';
    expect(sopInstanceUid(buildDicom({ rows: 2, cols: 2, pixels: new Uint8Array(8), metaUid: uid }))).toBe(uid);
    expect(sopInstanceUid(buildDicom({ rows: 2, cols: 2, pixels: new Uint8Array(8), datasetUid: uid }))).toBe(uid);
    expect(sopInstanceUid(buildDicom({ rows: 2, cols: 2, pixels: new Uint8Array(8) }))).toBeNull();
    expect(sopInstanceUid(new Uint8Array(200))).toBeNull();
  });
});
