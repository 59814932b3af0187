// Discovery of hospital ECG exports among loose files: DICOM ECG waveforms (told apart from DICOM images by
// SOP class or Waveform Sequence), HL7 aECG XML and EDF/BDF. Each file is read once here so that its
// interpretation statements become the item's text; a file that cannot be read is an error naming it.
import { dicomWaveformKind } from '../ecg-exports/dicom-waveform';
import { MAX_EXPORT_FILE_BYTES, parseEcgExport } from '../ecg-exports/read';
import type { EcgExport } from '../ecg-exports/types';
import type { DatasetItem, FormatError, InputFile } from '../types';
import { ecgItem } from './ecg-item';
import { superclassesFromStatements, type EcgSuperclass } from './text-ecg';

const NORMAL = /^(normal ecg|normal sinus rhythm|sinus rhythm|normal electrocardiogram)\.?$/i;

function classesOf(statements: string[]): EcgSuperclass[] {
  const found = superclassesFromStatements(statements);
  if (!found.length && statements.some((s) => NORMAL.test(s.trim()))) return ['NORM'];
  return found;
}

export function exportItem(file: InputFile, ex: EcgExport): DatasetItem {
  const meta: Record<string, string | number> = { ...ex.meta, leads: ex.record.leadNames.join(' ') };
  if (ex.notes.length) meta.notes = ex.notes.join('; ');
  return ecgItem({
    dataset: 'user',
    name: file.path.replace(/\.[^./]+$/, ''),
    files: [file],
    statements: ex.statements,
    classes: classesOf(ex.statements),
    meta,
  });
}

/** A DICOM file: an ECG item when it holds a waveform, 'image' when it is for the image path. */
export async function dicomEcgOrImage(file: InputFile): Promise<{ item: DatasetItem } | { error: FormatError } | 'image'> {
  if (file.sizeBytes > MAX_EXPORT_FILE_BYTES || file.sizeBytes < 132) return 'image';
  const bytes = await file.read();
  const kind = dicomWaveformKind(bytes);
  if (!kind?.isWaveform) return 'image';
  const ex = parseEcgExport(bytes, file.path);
  return ex.ok ? { item: exportItem(file, ex.value) } : { error: ex.error };
}

/** aECG / EDF / BDF files. */
export async function discoverEcgExports(files: InputFile[]): Promise<{ items: DatasetItem[]; errors: FormatError[] }> {
  const items: DatasetItem[] = [];
  const errors: FormatError[] = [];
  for (const f of files) {
    if (f.sizeBytes === 0) {
      errors.push({ file: f.path, message: 'empty file' });
      continue;
    }
    if (f.sizeBytes > MAX_EXPORT_FILE_BYTES) {
      errors.push({ file: f.path, message: `file too large (${f.sizeBytes} bytes; limit ${MAX_EXPORT_FILE_BYTES})` });
      continue;
    }
    try {
      const ex = parseEcgExport(await f.read(), f.path);
      if (ex.ok) items.push(exportItem(f, ex.value));
      else errors.push(ex.error);
    } catch (e) {
      errors.push({ file: f.path, message: `could not read: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
  return { items, errors };
}
