// The engine's FormatDeps bound to the real parsers, preprocessing and thumbnailer.
import { discoverDatasets, loadItem } from '../../formats/datasets/index';
import { preprocessCxr, preprocessEcg } from '../../model/preprocess';
import type { FormatDeps } from './deps';
import { makeThumb } from './thumb';

export const realDeps: FormatDeps = { discoverDatasets, loadItem, preprocessEcg, preprocessCxr, makeThumb };
