// Names of the wasm DICOM codecs (shared by the Node and browser loaders).
export type CodecName = 'libjpeg-turbo' | 'charls' | 'openjpeg' | 'openjph';
