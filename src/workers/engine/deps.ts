// What the engine needs from the parsers and preprocessing, as an interface: the worker passes the real
// modules (real-deps.ts), tests may pass the same modules with a small model.
import type { DatasetItem, Discovery, EcgRecord, GrayImage, InputFile, LoadedItem, PreparedEcg, Result } from '../../formats/types';

export interface FormatDeps {
  discoverDatasets(files: InputFile[]): Promise<Discovery>;
  loadItem(item: DatasetItem): Promise<Result<LoadedItem>>;
  preprocessEcg(rec: EcgRecord, file: string): Result<PreparedEcg>;
  /** [224*224] model input. */
  preprocessCxr(img: GrayImage): Float32Array;
  /** A small preview image (<= 128 px on the long side). */
  makeThumb(img: GrayImage): Promise<Blob>;
}
