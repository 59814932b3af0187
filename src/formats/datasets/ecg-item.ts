// Builds one ECG DatasetItem from its findings (shared by the LUDB and plain WFDB/Challenge layouts):
// report text in the paper's format, phrasing variants, superclass labels and a patient-keyed split.
import type { DatasetItem, InputFile } from '../types';
import { hashSplit } from './hash';
import { ecgReportText, ecgTextVariants, type EcgSuperclass } from './text-ecg';

export function ecgItem(args: {
  dataset: string;
  name: string;
  files: InputFile[];
  statements: string[];
  classes: EcgSuperclass[];
  meta: Record<string, string | number>;
}): DatasetItem {
  const { dataset, name, files, statements, classes } = args;
  const id = `${dataset}/${name}`;
  const patientKey = `${dataset}:${name}`;
  const meta = { ...args.meta };
  if (classes.length) meta.superclass = classes.join(',');
  if (statements.length) meta.findings = statements.join('; ');
  return {
    id,
    modality: 'ecg',
    dataset,
    files,
    labels: classes,
    text: ecgReportText(statements, classes),
    textVariants: ecgTextVariants(id, statements, classes),
    patientKey,
    split: hashSplit(dataset, patientKey),
    meta,
  };
}
