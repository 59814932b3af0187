import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listNodeFiles } from '../../../tools/lib/node-files';
import { memFile, SHARED_DATA_DIR } from '../testing';
import type { Discovery, InputFile } from '../types';
import { discoverDatasets, loadItem } from './index';

const DATA = SHARED_DATA_DIR;

const cache = new Map<string, Promise<Discovery>>();
function discover(set: string): Promise<Discovery> {
  if (!cache.has(set)) cache.set(set, listNodeFiles(`${DATA}/${set}`).then(discoverDatasets));
  return cache.get(set)!;
}

function count<T>(xs: T[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[String(x)] = (out[String(x)] ?? 0) + 1;
  return out;
}

describe('discoverDatasets on the real folders (counts from SOURCE.md)', () => {
  it('ptb-xl: 353 records, folds 1-7 train / 8 val, superclasses, English text', async () => {
    const d = await discover('ptb-xl');
    expect(d.errors).toEqual([]);
    expect(d.items.length).toBe(353);
    expect(new Set(d.items.map((i) => i.dataset))).toEqual(new Set(['ptb-xl']));
    const r1 = d.items.find((i) => i.id === 'ptb-xl/1')!;
    expect(r1.labels).toEqual(['NORM']);
    expect(r1.text).toBe(
      'ECG presents normal ECG. Additional findings include low QRS voltages in the frontal and horizontal leads, sinus rhythm. Diagnostic class: normal sinus rhythm.',
    );
    expect(r1.files.map((f) => f.path)).toEqual(['ptb-xl/records100/00000/00001_lr.hea', 'ptb-xl/records100/00000/00001_lr.dat']);
    expect(count(d.items.map((i) => i.split))).toEqual({ train: 309, val: 44 });
    for (const it of d.items) expect(it.split).toBe(Number(it.meta.strat_fold) === 8 ? 'val' : 'train');
    for (const [a, b] of [[137, 138], [456, 457], [459, 460]]) {
      const ia = d.items.find((i) => i.id === `ptb-xl/${a}`)!;
      const ib = d.items.find((i) => i.id === `ptb-xl/${b}`)!;
      expect([ib.split, ib.patientKey]).toEqual([ia.split, ia.patientKey]);
    }
    const mi = d.items.filter((i) => i.labels.includes('MI'));
    expect(mi.length).toBeGreaterThan(10);
    expect(mi.every((i) => /myocardial infarction/.test(i.text))).toBe(true);
    expect(d.items.find((i) => i.meta.ecgId === 108)!.meta.age).toBe('>89');
  });

  it('ludb: 200 records with English diagnoses and superclass words', async () => {
    const d = await discover('ludb');
    expect(d.errors).toEqual([]);
    expect(d.items.length).toBe(200);
    const r1 = d.items.find((i) => i.id === 'ludb/1')!;
    expect(r1.text).toMatch(/^ECG presents sinus bradycardia\. Additional findings include left axis deviation, left ventricular overload/);
    expect(r1.labels).toEqual(['STTC', 'HYP']);
    expect(r1.meta).toMatchObject({ age: 51, sex: 'female' });
    const labels = count(d.items.flatMap((i) => i.labels));
    expect(labels.HYP).toBeGreaterThan(100);
    expect(labels.CD).toBeGreaterThan(40);
    expect(labels.MI).toBeGreaterThan(10);
    expect(labels.NORM).toBeGreaterThan(5);
  });

  it('cinc2021-sample: 50 records, SNOMED names from dx-mapping', async () => {
    const d = await discover('cinc2021-sample');
    expect(d.errors).toEqual([]);
    expect(d.items.length).toBe(50);
    const e = d.items.find((i) => i.id === 'cinc2021-sample/E07500')!;
    expect(e.text).toBe('ECG presents left atrial enlargement. Additional findings include sinus bradycardia. Diagnostic class: hypertrophy.');
    expect(e.files.map((f) => f.path.split('/').pop())).toEqual(['E07500.hea', 'E07500.mat']);
    const hr = d.items.filter((i) => i.id.includes('/HR'));
    expect(hr.length).toBe(10);
    expect(hr.filter((i) => i.labels.includes('NORM')).length).toBeGreaterThan(5);
  });

  it('kermany: 960 images, 320 normal / 640 pneumonia, normal/pneumonia sentences', async () => {
    const d = await discover('kermany-pediatric-cxr');
    expect(d.errors).toEqual([]);
    expect(count(d.items.flatMap((i) => i.labels))).toEqual({ NORMAL: 320, PNEUMONIA: 640 });
    const n = d.items.find((i) => i.labels[0] === 'NORMAL')!;
    expect(n.text).toBe('No evidence of pneumonia. No acute cardiopulmonary abnormality.');
    const v = d.items.find((i) => i.meta.subtype === 'virus')!;
    expect(v.text).toBe('Findings suggesting pneumonia. Pattern consistent with viral pneumonia.');
    expect(v.textVariants.length).toBeGreaterThan(0);
    const val = d.items.filter((i) => i.split === 'val').length;
    expect(val / d.items.length).toBeGreaterThan(0.12);
    expect(val / d.items.length).toBeLessThan(0.28);
  });

  it('covid19-hannover: 243 images, 71 patients, AP 194 / PA 49, patient-disjoint split', async () => {
    const d = await discover('covid19-hannover-cxr');
    expect(d.errors).toEqual([]);
    expect(d.items.length).toBe(243);
    expect(new Set(d.items.map((i) => i.patientKey)).size).toBe(71);
    expect(count(d.items.map((i) => i.meta.view))).toEqual({ AP: 194, PA: 49 });
    expect(d.items[0].text).toMatch(/COVID-19/);
    const splitOf = new Map<string, string>();
    for (const it of d.items) {
      expect(splitOf.get(it.patientKey) ?? it.split).toBe(it.split);
      splitOf.set(it.patientKey, it.split);
    }
  });

  it('nih-cxr14-mini: 18 images with NIH labels', async () => {
    const d = await discover('nih-cxr14-mini');
    expect(d.errors).toEqual([]);
    expect(d.items.length).toBe(18);
    const labels = count(d.items.flatMap((i) => i.labels));
    expect(labels).toMatchObject({ Infiltration: 7, Effusion: 5, Pneumothorax: 4, 'No Finding': 3, Cardiomegaly: 2 });
    const nf = d.items.find((i) => i.labels[0] === 'No Finding')!;
    expect(nf.text).toMatch(/No acute cardiopulmonary abnormality/);
  });

  it('text corpora: 347 ROCO captions; CheXpert example reports', async () => {
    const roco = await discover('roco-cxr-captions');
    expect(roco.errors).toEqual([]);
    expect(roco.items.length).toBe(0);
    expect(roco.texts.length).toBe(347);
    const cx = await discover('chexpert-labeler-phrases');
    expect(cx.errors).toEqual([]);
    expect(cx.texts.length).toBe(4);
  });

  it('several roots at once, and deterministic texts and splits', async () => {
    const files = [...(await listNodeFiles(`${DATA}/nih-cxr14-mini`)), ...(await listNodeFiles(`${DATA}/cinc2021-sample`))];
    const a = await discoverDatasets(files);
    const b = await discoverDatasets([...files].reverse());
    expect(a.errors).toEqual([]);
    expect(a.items.length).toBe(68);
    const key = (d: Discovery) => d.items.map((i) => [i.id, i.text, i.textVariants, i.split]).sort((x, y) => String(x[0]).localeCompare(String(y[0])));
    expect(key(b)).toEqual(key(a));
  });

  it('loadItem parses an ECG and a CXR of each layout', async () => {
    for (const set of ['ptb-xl', 'ludb', 'cinc2021-sample', 'kermany-pediatric-cxr', 'covid19-hannover-cxr', 'nih-cxr14-mini']) {
      const d = await discover(set);
      const r = await loadItem(d.items[0]);
      if (!r.ok) throw new Error(`${set}: ${r.error.message}`);
      if (r.value.modality === 'ecg') {
        expect(r.value.record.signalsMv.length).toBe(12);
        expect(r.value.record.id).toBe(d.items[0].id);
      } else {
        expect(r.value.image.pixels.length).toBe(r.value.image.width * r.value.image.height);
      }
    }
  });
});

describe('loose user files and broken files', () => {
  const dir = `${DATA}/ptb-xl/records100/00000`;
  const rec = (id: string, dat?: Uint8Array): InputFile[] => [
    memFile(`mine/${id}_lr.hea`, readFileSync(`${dir}/${id}_lr.hea`)),
    memFile(`mine/${id}_lr.dat`, dat ?? readFileSync(`${dir}/${id}_lr.dat`)),
  ];

  it('one truncated .dat among good records: one error naming it, the rest load', async () => {
    const bad = new Uint8Array(readFileSync(`${dir}/00003_lr.dat`)).slice(0, 5000);
    const d = await discoverDatasets([...rec('00001'), ...rec('00002'), ...rec('00003', bad), ...rec('00004')]);
    expect(d.items.map((i) => i.id)).toEqual(['user/mine/00001_lr', 'user/mine/00002_lr', 'user/mine/00004_lr']);
    expect(d.errors.length).toBe(1);
    expect(d.errors[0].file).toBe('mine/00003_lr.dat');
    expect(d.errors[0].message).toMatch(/truncated/);
    for (const it of d.items) expect((await loadItem(it)).ok).toBe(true);
  });

  it('a .hea without its .dat is an error naming the header; a corrupted .dat fails at load', async () => {
    const mutated = new Uint8Array(readFileSync(`${dir}/00002_lr.dat`));
    mutated[100] ^= 0xff;
    const d = await discoverDatasets([rec('00001')[0], ...rec('00002', mutated)]);
    expect(d.errors).toEqual([{ file: 'mine/00001_lr.hea', message: expect.stringMatching(/missing/) }]);
    const r = await loadItem(d.items[0]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/checksum/);
  });

  it('loose images (user dataset) and a labels.csv with a broken row', async () => {
    const png = readFileSync(`${DATA}/nih-cxr14-mini/images/00000001_000.png`);
    const jpg = readFileSync(`${DATA}/kermany-pediatric-cxr/images/train/NORMAL/IM-0127-0001.jpeg`);
    const loose = await discoverDatasets([memFile('a.png', png), memFile('b.jpeg', jpg)]);
    expect(loose.errors).toEqual([]);
    expect(loose.items.map((i) => [i.id, i.dataset, i.modality])).toEqual([
      ['user/a', 'user', 'cxr'],
      ['user/b', 'user', 'cxr'],
    ]);
    const labelled = await discoverDatasets([
      memFile('x/labels.csv', 'path,label\na.png,PNEUMONIA\nmissing.png,NORMAL\n"b.jpeg,NORMAL\n'),
      memFile('x/a.png', png),
      memFile('x/b.jpeg', jpg),
    ]);
    expect(labelled.errors.length).toBe(1);
    expect(labelled.errors[0].file).toBe('x/labels.csv');
    const ok = await discoverDatasets([memFile('x/labels.csv', 'path,label\na.png,PNEUMONIA\nmissing.png,NORMAL\n'), memFile('x/a.png', png)]);
    expect(ok.errors).toEqual([{ file: 'x/labels.csv', message: expect.stringMatching(/line 3.*missing\.png/) }]);
    expect(ok.items.map((i) => [i.labels, i.text])).toEqual([[['PNEUMONIA'], 'Findings suggesting pneumonia.']]);
  });

  it('a PTB-XL table row with broken scp_codes is an error naming the CSV line', async () => {
    const files = await listNodeFiles(`${DATA}/ptb-xl`);
    const dbIdx = files.findIndex((f) => f.path === 'ptb-xl/ptbxl_database.csv');
    const text = new TextDecoder().decode(await files[dbIdx].read()).replace("{'NORM': 100.0, 'LVOLT': 0.0, 'SR': 0.0}", '{NORM 100');
    files[dbIdx] = memFile('ptb-xl/ptbxl_database.csv', text);
    const d = await discoverDatasets(files);
    expect(d.items.length).toBe(352);
    expect(d.errors).toEqual([{ file: 'ptb-xl/ptbxl_database.csv', message: expect.stringMatching(/^line 2: cannot parse scp_codes/) }]);
  });
});
