// The few DICOM dictionary facts the reader needs: transfer syntaxes (name, encoding, codec family),
// SOP classes it can name in messages, and the sequence tags that implicit-VR data sets must recurse into.

export type Codec = 'native' | 'jpeg-baseline' | 'jpeg-extended' | 'jpeg-lossless' | 'jpeg-ls' | 'j2k' | 'htj2k' | 'rle';

export interface TransferSyntax {
  name: string;
  explicitVr: boolean;
  littleEndian: boolean;
  deflated?: boolean;
  /** Native pixel data in big endian although the data set is little endian (GE's private syntax). */
  pixelBigEndian?: boolean;
  codec: Codec;
}

const ts = (name: string, codec: Codec, extra: Partial<TransferSyntax> = {}): TransferSyntax => ({
  name,
  explicitVr: true,
  littleEndian: true,
  codec,
  ...extra,
});

export const TRANSFER_SYNTAXES: Record<string, TransferSyntax> = {
  '1.2.840.10008.1.2': ts('Implicit VR Little Endian', 'native', { explicitVr: false }),
  '1.2.840.10008.1.2.1': ts('Explicit VR Little Endian', 'native'),
  '1.2.840.10008.1.2.1.99': ts('Deflated Explicit VR Little Endian', 'native', { deflated: true }),
  '1.2.840.10008.1.2.2': ts('Explicit VR Big Endian', 'native', { littleEndian: false }),
  '1.2.840.10008.1.2.4.50': ts('JPEG Baseline (Process 1)', 'jpeg-baseline'),
  '1.2.840.10008.1.2.4.51': ts('JPEG Extended (Process 2 & 4)', 'jpeg-extended'),
  '1.2.840.10008.1.2.4.57': ts('JPEG Lossless, Non-Hierarchical (Process 14)', 'jpeg-lossless'),
  '1.2.840.10008.1.2.4.70': ts('JPEG Lossless, First-Order Prediction (Process 14, SV1)', 'jpeg-lossless'),
  '1.2.840.10008.1.2.4.80': ts('JPEG-LS Lossless', 'jpeg-ls'),
  '1.2.840.10008.1.2.4.81': ts('JPEG-LS Near-Lossless', 'jpeg-ls'),
  '1.2.840.10008.1.2.4.90': ts('JPEG 2000 (Lossless Only)', 'j2k'),
  '1.2.840.10008.1.2.4.91': ts('JPEG 2000', 'j2k'),
  '1.2.840.10008.1.2.4.201': ts('High-Throughput JPEG 2000 (Lossless Only)', 'htj2k'),
  '1.2.840.10008.1.2.4.202': ts('High-Throughput JPEG 2000 with RPCL Options (Lossless Only)', 'htj2k'),
  '1.2.840.10008.1.2.4.203': ts('High-Throughput JPEG 2000', 'htj2k'),
  '1.2.840.10008.1.2.5': ts('RLE Lossless', 'rle'),
  '1.2.840.113619.5.2': ts('GE Private Implicit VR Little Endian, Big Endian Pixels', 'native', { explicitVr: false, pixelBigEndian: true }),
};

/** Transfer syntaxes that are recognised but not read, with the reason. */
export const REFUSED_TRANSFER_SYNTAXES: Record<string, string> = {
  '1.2.840.10008.1.2.4.52': 'JPEG Extended (Process 3 & 5), retired',
  '1.2.840.10008.1.2.4.53': 'JPEG Spectral Selection, Non-Hierarchical (Process 6 & 8), retired',
  '1.2.840.10008.1.2.4.55': 'JPEG Full Progression, Non-Hierarchical (Process 10 & 12), retired',
  '1.2.840.10008.1.2.4.92': 'JPEG 2000 Part 2 Multi-component (Lossless Only)',
  '1.2.840.10008.1.2.4.93': 'JPEG 2000 Part 2 Multi-component',
  '1.2.840.10008.1.2.4.94': 'JPIP Referenced',
  '1.2.840.10008.1.2.4.95': 'JPIP Referenced Deflate',
  '1.2.840.10008.1.2.4.100': 'MPEG2 Main Profile / Main Level (video)',
  '1.2.840.10008.1.2.4.101': 'MPEG2 Main Profile / High Level (video)',
  '1.2.840.10008.1.2.4.102': 'MPEG-4 AVC/H.264 (video)',
  '1.2.840.10008.1.2.4.103': 'MPEG-4 AVC/H.264 BD-compatible (video)',
  '1.2.840.10008.1.2.4.104': 'MPEG-4 AVC/H.264 for 2D video',
  '1.2.840.10008.1.2.4.105': 'MPEG-4 AVC/H.264 for 3D video',
  '1.2.840.10008.1.2.4.106': 'MPEG-4 AVC/H.264 Stereo',
  '1.2.840.10008.1.2.4.107': 'HEVC/H.265 Main Profile (video)',
  '1.2.840.10008.1.2.4.108': 'HEVC/H.265 Main 10 Profile (video)',
};

export const SOP_ECG_12LEAD = '1.2.840.10008.5.1.4.1.1.9.1.1';
export const SOP_ECG_GENERAL = '1.2.840.10008.5.1.4.1.1.9.1.2';

/** Non-image SOP classes named in "not an image" messages. */
export const NON_IMAGE_SOP_CLASSES: Record<string, string> = {
  '1.2.840.10008.5.1.4.1.1.9.1.1': '12-lead ECG Waveform Storage',
  '1.2.840.10008.5.1.4.1.1.9.1.2': 'General ECG Waveform Storage',
  '1.2.840.10008.5.1.4.1.1.9.1.3': 'Ambulatory ECG Waveform Storage',
  '1.2.840.10008.5.1.4.1.1.9.2.1': 'Hemodynamic Waveform Storage',
  '1.2.840.10008.5.1.4.1.1.9.4.1': 'Basic Voice Audio Waveform Storage',
  '1.2.840.10008.5.1.4.1.1.88.11': 'Basic Text SR Storage',
  '1.2.840.10008.5.1.4.1.1.88.22': 'Enhanced SR Storage',
  '1.2.840.10008.5.1.4.1.1.88.33': 'Comprehensive SR Storage',
  '1.2.840.10008.5.1.4.1.1.88.34': 'Comprehensive 3D SR Storage',
  '1.2.840.10008.5.1.4.1.1.88.50': 'Mammography CAD SR Storage',
  '1.2.840.10008.5.1.4.1.1.88.59': 'Key Object Selection Document Storage',
  '1.2.840.10008.5.1.4.1.1.88.65': 'Chest CAD SR Storage',
  '1.2.840.10008.5.1.4.1.1.88.67': 'X-Ray Radiation Dose SR Storage',
  '1.2.840.10008.5.1.4.1.1.104.1': 'Encapsulated PDF Storage',
  '1.2.840.10008.5.1.4.1.1.104.2': 'Encapsulated CDA Storage',
  '1.2.840.10008.5.1.4.1.1.481.2': 'RT Dose Storage',
  '1.2.840.10008.5.1.4.1.1.481.3': 'RT Structure Set Storage',
  '1.2.840.10008.5.1.4.1.1.481.5': 'RT Plan Storage',
  '1.2.840.10008.5.1.4.1.1.11.1': 'Grayscale Softcopy Presentation State Storage',
  '1.2.840.10008.5.1.4.1.1.66': 'Raw Data Storage',
  '1.2.840.10008.5.1.4.1.1.66.4': 'Segmentation Storage',
};

/** Sequences the reader looks inside; in implicit VR a defined-length SQ is only known from the dictionary. */
export const KNOWN_SEQUENCES = new Set<number>([
  0x00283000, // Modality LUT Sequence
  0x00283010, // VOI LUT Sequence
  0x00289132, // Frame VOI LUT Sequence
  0x00289145, // Pixel Value Transformation Sequence
  0x52009229, // Shared Functional Groups Sequence
  0x52009230, // Per-frame Functional Groups Sequence
  0x54000100, // Waveform Sequence
]);

/** VRs with a 4-byte length (and 2 reserved bytes) in explicit VR. */
export const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

export const KNOWN_VRS = new Set([
  'AE', 'AS', 'AT', 'CS', 'DA', 'DS', 'DT', 'FD', 'FL', 'IS', 'LO', 'LT', 'OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'PN', 'SH', 'SL',
  'SQ', 'SS', 'ST', 'SV', 'TM', 'UC', 'UI', 'UL', 'UN', 'UR', 'US', 'UT', 'UV',
]);
