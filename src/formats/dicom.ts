// DICOM images (every transfer syntax a PACS exports) and routing of non-image DICOM; see ./dicom/.
export { decodeDicom, decodeDicomSamples, type DecodedDicom, type DicomInfo, type DicomSamples } from './dicom/decode';
export { dicomKind, type DicomKind } from './dicom/kind';
export { parseDicom, type ParsedDicom } from './dicom/parse';
