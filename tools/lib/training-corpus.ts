// The text corpus a tokenizer is built from for pretraining: every training item's report and its
// phrasings, the text-only corpora of the data folder, and the zero-shot prompt sentences. One function
// so that `npm run pretrain` and the PyTorch exporter build the same vocabulary from the same data.
import { defaultConfig, type MedbindConfig } from '../../src/model/config';
import { Tokenizer } from '../../src/model/tokenizer';
import { PAPER_PROMPT_SETS, classPrompts } from '../../src/model/zeroshot';
import type { PreparedItem } from './prepared';

export function trainingCorpus(train: PreparedItem[], extraTexts: string[]): string[] {
  return [
    ...train.flatMap((p) => [p.item.text, ...p.item.textVariants]),
    ...extraTexts,
    ...Object.values(PAPER_PROMPT_SETS).flatMap((s) => s.classes.flatMap((c) => classPrompts(s, c))),
  ];
}

export function buildTrainingTokenizer(train: PreparedItem[], extraTexts: string[], base: MedbindConfig = defaultConfig()): Tokenizer {
  return Tokenizer.build(trainingCorpus(train, extraTexts), { maxWords: base.text.maxWords, minCount: base.text.minCount, maxVocab: base.text.maxVocab });
}
