// Shared contracts for untrusted-file parsing and dataset loading (no tfjs here).
// Parsers return Result values and never throw across the module boundary; every error names the file.

export type Result<T> = { ok: true; value: T } | { ok: false; error: FormatError };

export interface FormatError {
  /** Path or name of the offending file, as the user would recognise it. */
  file: string;
  /** What is wrong, with the position where it applies (e.g. "line 3: ..." or "byte 1024: ..."). */
  message: string;
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(file: string, message: string): Result<T> => ({ ok: false, error: { file, message } });

/** A file as both Node (fs) and the browser (File / drag-and-drop entries) can give it. */
export interface InputFile {
  /** Relative path inside the dropped folder or dataset root, '/'-separated (e.g. "records100/00000/00001_lr.hea"). */
  path: string;
  sizeBytes: number;
  read(): Promise<Uint8Array>;
  /**
   * Bytes [startByte, endByte) of the file without reading the rest (optional: long recordings are read
   * by the window they need). Callers clamp the range to sizeBytes.
   */
  readRange?(startByte: number, endByte: number): Promise<Uint8Array>;
}

/** A raw ECG as read from disk: physical units (mV), any rate, any lead subset. */
export interface EcgRecord {
  id: string;
  fsHz: number;
  nSamples: number;
  /** Lead names as written in the header (case as in the file). */
  leadNames: string[];
  /** One Float32Array of nSamples per lead, in mV. */
  signalsMv: Float32Array[];
  /** What the reader left out or chose (dropped channels, the segment read, the window of a long record). */
  notes?: string[];
}

/** A decoded image reduced to one grey channel, values 0..1, row-major [height, width]. */
export interface GrayImage {
  width: number;
  height: number;
  pixels: Float32Array;
}

export type Modality = 'ecg' | 'cxr';
export type Split = 'train' | 'val' | 'test';

/** One item a dataset loader found: enough to parse it later and to know its labels and report text. */
export interface DatasetItem {
  /** Globally unique, stable: "<dataset>/<record id>". */
  id: string;
  modality: Modality;
  /** Dataset folder name (e.g. "ptb-xl"), or "user" for loose files. */
  dataset: string;
  /** The files that make up this item (a .hea and its .dat/.mat; or one image). */
  files: InputFile[];
  /** Labels in the dataset's own vocabulary, normalised to readable names (e.g. "MI", "PNEUMONIA", "Cardiomegaly"). */
  labels: string[];
  /** Canonical constructed report text (deterministic; used for evaluation and display). */
  text: string;
  /** Extra phrasings of the same findings for training-time text augmentation (may be empty). */
  textVariants: string[];
  /** Grouping key for patient-disjoint splits. */
  patientKey: string;
  /** Split assignment (PTB-XL: strat_fold 8 -> val, 9-10 -> test; others: hash of patientKey). */
  split: Split;
  /** Free metadata shown in the app and usable for colouring (age, sex, view, subtype...). */
  meta: Record<string, string | number>;
}

/** Model input after preprocessing (shared by browser and Node). */
export const ECG_LEADS = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'] as const;
export const ECG_FS_HZ = 100;
export const ECG_SAMPLES = 1000;
export const CXR_SIZE_PX = 224;

/** What loadItem() gives back for one DatasetItem. */
export type LoadedItem = { modality: 'ecg'; record: EcgRecord } | { modality: 'cxr'; image: GrayImage };

/** preprocessEcg() output: the model input plus a display copy for plotting. */
export interface PreparedEcg {
  /** [12 * 1000] lead-major, standard lead order, 100 Hz, 10 s, baseline-removed mV (no per-record scaling). */
  input: Float32Array;
  /** Display copy: standard lead order, at min(source fsHz, 500) Hz, mV; NaN-filled where a lead is missing. */
  display: {
    fsHz: number;
    leads: Float32Array[];
    /** Only when the record has leads without a standard position: the 12 standard names, then theirs. */
    leadNames?: string[];
  };
  missingLeads: string[];
}

/** discoverDatasets() output for a set of files (a dataset root, several roots, or loose user files). */
export interface Discovery {
  items: DatasetItem[];
  errors: FormatError[];
  /** Text-only corpus found (e.g. ROCO captions): extra texts for training and for text search. */
  texts: string[];
}
