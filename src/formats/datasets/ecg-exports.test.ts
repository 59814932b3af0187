// Discovery of hospital ECG exports in a dropped folder (and in a .zip of one): DICOM ECGs leave the image
// path, aECG / EDF files become ECG items with their statements as text, broken files are named.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { preprocessEcg } from '../../model/preprocess';
import { memFile } from '../testing';
import { discoverDatasets, loadItem } from './index';

const ARCHIVE = new URL('../../../e2e/fixtures/archive/', import.meta.url).pathname;
const read = (rel: string) => new Uint8Array(readFileSync(join(ARCHIVE, rel)));
const EDF = new Uint8Array(readFileSync(new URL('../ecg-exports/fixtures/ptbxl-00032.edf', import.meta.url).pathname));

describe('discovery of ECG exports', () => {
  it('a folder with a DICOM ECG, an aECG, an EDF in a zip, a CXR and broken files', async () => {
    const files = [
      memFile('drop/ecg-ptbxl-00045.dcm', read('ecg-ptbxl-00045.dcm')),
      memFile('drop/ecg-ptbxl-00050.xml', read('ecg-ptbxl-00050.xml')),
      memFile('drop/edf-records.zip', read('edf-records.zip')),
      memFile('drop/cxr-j2k.dcm', read('cxr-j2k.dcm')),
      memFile('drop/ecg-truncated.dcm', read('ecg-truncated.dcm')),
      memFile('drop/notes.xml', strToU8('<notes><n>not an ECG</n></notes>')),
      memFile('drop/bad.edf', EDF.subarray(0, 5000)),
      memFile('drop/broken.zip', strToU8('PK\u0003\u0004 definitely not a zip')),
    ];
    const d = await discoverDatasets(files);
    const byId = new Map(d.items.map((it) => [it.id, it]));
    expect([...byId.keys()].sort()).toEqual([
      'user/drop/cxr-j2k',
      'user/drop/ecg-ptbxl-00045',
      'user/drop/ecg-ptbxl-00050',
      'user/drop/edf-records.zip/records/ptbxl-00032',
    ]);
    expect(byId.get('user/drop/cxr-j2k')!.modality).toBe('cxr');
    const dcm = byId.get('user/drop/ecg-ptbxl-00045')!;
    expect(dcm.modality).toBe('ecg');
    expect(dcm.text).toMatch(/^ECG presents incomplete right bundle branch block\. .*right ventricular hypertrophy/);
    expect(dcm.labels).toEqual(['CD', 'HYP']);
    expect(byId.get('user/drop/ecg-ptbxl-00050')!.labels).toEqual(['MI', 'CD']);
    expect(d.errors.map((e) => e.file).sort()).toEqual(['drop/bad.edf', 'drop/broken.zip', 'drop/ecg-truncated.dcm', 'drop/notes.xml']);
    const msg = (f: string) => d.errors.find((e) => e.file === f)!.message;
    expect(msg('drop/notes.xml')).toMatch(/not an HL7 aECG file/);
    expect(msg('drop/bad.edf')).toMatch(/truncated/);
    expect(msg('drop/broken.zip')).toMatch(/corrupt zip archive/);
    expect(msg('drop/ecg-truncated.dcm')).toMatch(/not a readable DICOM file \(truncated or damaged\)/);

    // Every ECG item loads and goes through the same preprocessing as a WFDB record.
    for (const it of d.items.filter((i) => i.modality === 'ecg')) {
      const l = await loadItem(it);
      if (!l.ok || l.value.modality !== 'ecg') throw new Error(`${it.id}: ${l.ok ? 'not an ECG' : l.error.message}`);
      expect(l.value.record.id).toBe(it.id);
      const p = preprocessEcg(l.value.record, it.id);
      if (!p.ok) throw new Error(p.error.message);
      expect(p.value.missingLeads).toEqual([]);
    }
  });

  it('a .zip of WFDB records is read like the folder itself', async () => {
    const dir = new URL('../../../e2e/fixtures/ecg-one-corrupt/', import.meta.url).pathname;
    const entries = Object.fromEntries(readdirSync(dir).map((n) => [`records/${n}`, new Uint8Array(readFileSync(join(dir, n)))]));
    const d = await discoverDatasets([memFile('ecgs.zip', zipSync(entries))]);
    expect(d.items.map((i) => i.id).sort()).toEqual(['user/ecgs.zip/records/00001_lr', 'user/ecgs.zip/records/00002_lr', 'user/ecgs.zip/records/00004_lr']);
    expect(d.errors).toEqual([expect.objectContaining({ file: 'ecgs.zip/records/00003_lr.dat', message: expect.stringMatching(/truncated/) })]);
    const l = await loadItem(d.items[0]);
    expect(l.ok).toBe(true);
  });
});
