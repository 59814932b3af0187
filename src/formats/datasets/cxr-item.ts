// Builds one CXR DatasetItem from labels (shared by every image layout).
import type { DatasetItem, InputFile } from '../types';
import { hashSplit } from './hash';
import { cxrReportText, cxrTextVariants, type CxrTextOptions } from './text-cxr';

export const IMAGE_EXTENSIONS = new Set(['png', 'jpg', 'jpeg', 'dcm', 'dicom']);

export function cxrItem(args: {
  dataset: string;
  name: string;
  file: InputFile;
  labels: string[];
  patientKey: string;
  meta: Record<string, string | number>;
  textOptions?: CxrTextOptions;
}): DatasetItem {
  const id = `${args.dataset}/${args.name}`;
  const patientKey = `${args.dataset}:${args.patientKey}`;
  return {
    id,
    modality: 'cxr',
    dataset: args.dataset,
    files: [args.file],
    labels: args.labels,
    text: cxrReportText(args.labels, args.textOptions),
    textVariants: cxrTextVariants(id, args.labels, args.textOptions),
    patientKey,
    split: hashSplit(args.dataset, patientKey),
    meta: args.meta,
  };
}
