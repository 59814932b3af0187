// Writes the hospital ECG export fixtures from real PTB-XL records (../shared/data/ptb-xl):
//   src/formats/ecg-exports/fixtures/ptbxl-00032.edf  EDF+ written by Debian's libedf (tools/edf/edflib-tool.c)
//   e2e/fixtures/archive/ecg-ptbxl-00045.dcm          DICOM 12-lead ECG waveform (our writer, checked with dcmdump)
//   e2e/fixtures/archive/ecg-ptbxl-00050.xml          HL7 aECG (our writer)
// Usage: node --import tsx tools/make-ecg-fixtures.ts [--data DIR]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeAecg, writeDicomEcg } from './lib/ecg-writers';
import { loadPtbxlRecord } from './lib/ptbxl-source';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argData = process.argv.indexOf('--data');
const DATA = argData > 0 ? process.argv[argData + 1] : resolve(REPO, '../shared/data');
const PTBXL = join(DATA, 'ptb-xl');

/** Scaling of the fixtures (see the tests that compare them with the source). */
export const FIXTURE_DICOM = { ecgId: 45, sensitivity: 2.5, units: 'uV' as const };
export const FIXTURE_AECG = { ecgId: 50, scaleUv: 4.88 };
export const FIXTURE_EDF = { ecgId: 32 };

/** Compiles the libedf tool into a temporary folder and returns its path (throws without gcc / libedf). */
export function buildEdflibTool(): string {
  const dir = mkdtempSync(join(tmpdir(), 'edflib-'));
  const exe = join(dir, 'edflib-tool');
  execFileSync('gcc', ['-O2', '-o', exe, join(REPO, 'tools/edf/edflib-tool.c'), '-ledf'], { stdio: 'pipe' });
  return exe;
}

async function main() {
  const archive = join(REPO, 'e2e/fixtures/archive');
  const unit = join(REPO, 'src/formats/ecg-exports/fixtures');
  mkdirSync(archive, { recursive: true });
  mkdirSync(unit, { recursive: true });

  const d = await loadPtbxlRecord(PTBXL, FIXTURE_DICOM.ecgId);
  const dcmPath = join(archive, `ecg-ptbxl-${String(d.ecgId).padStart(5, '0')}.dcm`);
  writeFileSync(dcmPath, writeDicomEcg(d, { sensitivity: FIXTURE_DICOM.sensitivity, units: FIXTURE_DICOM.units, medianFirst: true }));
  try {
    const dump = execFileSync('dcmdump', ['-q', dcmPath], { encoding: 'utf8' });
    if (!/WaveformSequence/.test(dump)) throw new Error('dcmdump shows no WaveformSequence');
    console.log(`${dcmPath}: dcmdump reads it (${dump.split('\n').length} lines)`);
  } catch (e) {
    console.warn(`dcmdump check skipped or failed: ${(e as Error).message}`);
  }

  const a = await loadPtbxlRecord(PTBXL, FIXTURE_AECG.ecgId);
  const xmlPath = join(archive, `ecg-ptbxl-${String(a.ecgId).padStart(5, '0')}.xml`);
  writeFileSync(xmlPath, writeAecg(a, { scaleUv: FIXTURE_AECG.scaleUv, withDerivedSeries: true }));
  console.log(`${xmlPath}: written`);

  const e = await loadPtbxlRecord(PTBXL, FIXTURE_EDF.ecgId);
  const edfPath = join(unit, `ptbxl-${String(e.ecgId).padStart(5, '0')}.edf`);
  const tool = buildEdflibTool();
  execFileSync(tool, ['write', edfPath, e.datPath, String(e.fsHz), String(e.nSamples), ...e.leads.map((l) => l.name)], { stdio: 'inherit' });
  console.log(`${edfPath}: written by libedf`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
