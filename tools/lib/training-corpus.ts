// The text corpus and tokenizer a pretraining run builds: every training item's report and its phrasings,
// the text-only corpora of the data folder, every English text the folder carries beyond the reports
// (statement descriptions, SNOMED names, abbreviation expansions) and the zero-shot prompt sentences.
// One function so that `npm run pretrain` and the PyTorch exporter build the same vocabulary.
import { defaultConfig, type MedbindConfig } from '../../src/model/config';
import { Tokenizer } from '../../src/model/tokenizer';
import { PAPER_PROMPT_SETS, classPrompts } from '../../src/model/zeroshot';
import type { PreparedItem } from './prepared';
import { extraCorpus } from './text-corpus';

export async function trainingCorpus(train: PreparedItem[], extraTexts: string[], dataDir: string): Promise<string[]> {
  return [
    ...train.flatMap((p) => [p.item.text, ...p.item.textVariants]),
    ...extraTexts,
    ...(await extraCorpus(dataDir)),
    ...Object.values(PAPER_PROMPT_SETS).flatMap((s) => s.classes.flatMap((c) => classPrompts(s, c))),
  ];
}

export async function buildTrainingTokenizer(train: PreparedItem[], extraTexts: string[], dataDir: string, base: MedbindConfig = defaultConfig()): Promise<Tokenizer> {
  const corpus = await trainingCorpus(train, extraTexts, dataDir);
  return Tokenizer.buildSubword(corpus, { maxWords: base.text.maxWords, minCount: base.text.minCount, maxVocab: base.text.maxVocab });
}
