// One PTB-XL record from the shared data as an ExportRecord (mV, standard lead names, English statements
// from scp_statements.csv), the source the ECG export fixtures are written from and compared with.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '../../src/formats/csv';
import { parseScpCodes } from '../../src/formats/datasets/ptbxl';
import { standardLeadFromLabel } from '../../src/formats/ecg-exports/leads';
import { diskFile } from '../../src/formats/testing';
import { readWfdbRecord } from '../../src/formats/wfdb';
import type { ExportRecord } from './ecg-writers';

export interface PtbxlSource extends ExportRecord {
  ecgId: number;
  /** WFDB record path relative to the PTB-XL folder, without extension. */
  recordPath: string;
  /** Raw signal file (format 16, interleaved, 1000 ADU/mV). */
  datPath: string;
  nSamples: number;
}

export async function loadPtbxlRecord(ptbxlDir: string, ecgId: number, rate: 'lr' | 'hr' = 'hr'): Promise<PtbxlSource> {
  const db = parseCsv(readFileSync(join(ptbxlDir, 'ptbxl_database.csv'), 'utf8'), 'ptbxl_database.csv');
  const st = parseCsv(readFileSync(join(ptbxlDir, 'scp_statements.csv'), 'utf8'), 'scp_statements.csv');
  if (!db.ok || !st.ok) throw new Error('cannot read the PTB-XL tables');
  const row = db.value.rows.find((r) => Number(r.ecg_id) === ecgId);
  if (!row) throw new Error(`ecg_id ${ecgId} not in ptbxl_database.csv`);
  const desc = new Map(st.value.rows.map((r) => [r[st.value.header[0]], { text: r.description, diagnostic: Number(r.diagnostic) === 1 }]));
  const codes = parseScpCodes(row.scp_codes) ?? [];
  const statements = codes
    .filter(([c, lik]) => (desc.get(c)?.diagnostic ? lik > 0 : true))
    .map(([c]) => desc.get(c)?.text ?? c);
  const recordPath = rate === 'hr' ? row.filename_hr : row.filename_lr;
  const hea = diskFile(join(ptbxlDir, `${recordPath}.hea`), `${recordPath}.hea`);
  const datPath = join(ptbxlDir, `${recordPath}.dat`);
  const r = await readWfdbRecord(hea, [diskFile(datPath, `${recordPath}.dat`)]);
  if (!r.ok) throw new Error(`${r.error.file}: ${r.error.message}`);
  const rec = r.value.record;
  return {
    ecgId,
    recordPath,
    datPath,
    nSamples: rec.nSamples,
    fsHz: rec.fsHz,
    leads: rec.leadNames.map((n, i) => ({ name: standardLeadFromLabel(n) ?? n, mv: rec.signalsMv[i] })),
    statements,
    sex: row.sex === '0' ? 'M' : row.sex === '1' ? 'F' : undefined,
    ageYears: Number.isFinite(Number(row.age)) && row.age !== '' ? Number(row.age) : undefined,
  };
}
