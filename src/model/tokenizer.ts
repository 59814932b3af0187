// Word-level tokenizer for report text: lowercase, split on non-alphanumerics, keep the first maxWords
// words (the paper feeds the first 100 words of a report). The vocabulary is built from our corpus and
// serialised as JSON next to the weights.

export const PAD = '[PAD]';
export const UNK = '[UNK]';
export const CLS = '[CLS]';
export const PAD_ID = 0;
export const UNK_ID = 1;
export const CLS_ID = 2;

export interface VocabJson {
  format: 'medbind-word-vocab';
  version: 1;
  maxWords: number;
  /** Index = token id; the first three are [PAD], [UNK], [CLS]. */
  tokens: string[];
}

export function splitWords(text: string, maxWords: number): string[] {
  const words = text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
  return words.slice(0, maxWords);
}

export class Tokenizer {
  readonly tokens: readonly string[];
  readonly maxWords: number;
  private readonly index: Map<string, number>;

  constructor(tokens: string[], maxWords: number) {
    if (tokens[PAD_ID] !== PAD || tokens[UNK_ID] !== UNK || tokens[CLS_ID] !== CLS) {
      throw new Error('tokenizer: vocabulary must start with [PAD], [UNK], [CLS]');
    }
    this.tokens = tokens;
    this.maxWords = maxWords;
    this.index = new Map(tokens.map((t, i) => [t, i]));
  }

  get vocabSize(): number {
    return this.tokens.length;
  }

  /** Words counted at least minCount times, most frequent first (ties alphabetical), at most maxVocab tokens in all. */
  static build(corpus: Iterable<string>, opts: { maxWords: number; minCount: number; maxVocab: number }): Tokenizer {
    const counts = new Map<string, number>();
    for (const text of corpus) for (const w of splitWords(text, opts.maxWords)) counts.set(w, (counts.get(w) ?? 0) + 1);
    const words = [...counts.entries()]
      .filter(([, c]) => c >= opts.minCount)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, Math.max(0, opts.maxVocab - 3))
      .map(([w]) => w);
    return new Tokenizer([PAD, UNK, CLS, ...words], opts.maxWords);
  }

  static fromJson(json: unknown): Tokenizer {
    const j = json as Partial<VocabJson>;
    if (!j || j.format !== 'medbind-word-vocab' || !Array.isArray(j.tokens) || typeof j.maxWords !== 'number') {
      throw new Error('tokenizer: not a medbind-word-vocab JSON');
    }
    return new Tokenizer(j.tokens.map(String), j.maxWords);
  }

  toJson(): VocabJson {
    return { format: 'medbind-word-vocab', version: 1, maxWords: this.maxWords, tokens: [...this.tokens] };
  }

  /** [CLS] + ids of the first maxWords words (unknown -> [UNK]). */
  encode(text: string): number[] {
    return [CLS_ID, ...splitWords(text, this.maxWords).map((w) => this.index.get(w) ?? UNK_ID)];
  }

  /**
   * Pads a batch to a common length: the longest sequence rounded up to a multiple of lengthBucket,
   * capped at maxTokens (so only a few distinct shapes reach the backend). Returns ids [n, T] row-major.
   */
  encodeBatch(texts: string[], lengthBucket: number, maxTokens: number): { ids: Int32Array; n: number; T: number } {
    const seqs = texts.map((t) => this.encode(t).slice(0, maxTokens));
    const longest = seqs.reduce((m, s) => Math.max(m, s.length), 1);
    const T = Math.min(maxTokens, Math.ceil(longest / lengthBucket) * lengthBucket);
    const ids = new Int32Array(texts.length * T); // PAD_ID = 0
    seqs.forEach((s, i) => ids.set(s, i * T));
    return { ids, n: texts.length, T };
  }
}
