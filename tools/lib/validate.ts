// The fast validation pass of `npm run pretrain`: embeds the validation split with the current parameters
// and measures the targets on it (PTB-XL 5-superclass zero-shot balanced accuracy, PTB-XL 16-shot
// linear probe, PTB-XL ECG -> text R@10, pediatric pneumonia zero-shot balanced accuracy) with the same
// protocol as `npm run eval`; their mean is the model-selection score.
import type { MedbindEncoders } from '../../src/model/types';
import { evalDataset } from './eval-dataset';
import type { PreparedItem } from './prepared';

export interface ValidationMetrics {
  ptbxlZeroShot: number;
  ptbxl16Shot: number;
  ptbxlR10: number;
  pediatricZeroShot: number;
  /** PTB-XL zero-shot with the paper's single prompt per class (reported, not part of the score). */
  ptbxlZeroShotPaper?: number;
  /** Mean of the metrics above that could be measured. */
  score: number;
}

export interface ValidationSets {
  ecg: PreparedItem[];
  cxr: PreparedItem[];
}

/** Validation items of the named PTB-XL-style ECG set and pediatric CXR set. */
export function validationSets(val: PreparedItem[], ecgDataset = 'ptb-xl', cxrDataset = 'kermany-pediatric-cxr'): ValidationSets {
  return {
    ecg: val.filter((p) => p.item.dataset === ecgDataset && p.item.modality === 'ecg'),
    cxr: val.filter((p) => p.item.dataset === cxrDataset && p.item.modality === 'cxr'),
  };
}

export async function validate(enc: MedbindEncoders, sets: ValidationSets, probeRepeats = 30): Promise<ValidationMetrics> {
  const m = { ptbxlZeroShot: NaN, ptbxl16Shot: NaN, ptbxlR10: NaN, pediatricZeroShot: NaN };
  let paper: number | undefined;
  if (sets.ecg.length > 0) {
    const { report } = await evalDataset(enc, sets.ecg, probeRepeats, 16, [16]);
    m.ptbxlR10 = report.toText['R@10'];
    m.ptbxlZeroShot = report.zeroShot?.balancedAccuracy ?? NaN;
    m.ptbxl16Shot = report.fewShot?.['16']?.mean ?? NaN;
    paper = report.zeroShot?.paperPrompts?.balancedAccuracy;
  }
  if (sets.cxr.length > 0) {
    const { report } = await evalDataset(enc, sets.cxr, 0, 0, []);
    m.pediatricZeroShot = report.zeroShot?.balancedAccuracy ?? NaN;
  }
  const vals = Object.values(m).filter(Number.isFinite);
  return { ...m, score: vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : NaN, ...(paper !== undefined ? { ptbxlZeroShotPaper: paper } : {}) };
}
