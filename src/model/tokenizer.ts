// Tokenizer for report text and queries. Two vocabulary formats:
// - 'medbind-subword-vocab' (current): clinical abbreviations expanded (configs/abbreviations.json, carried
//   in the vocabulary file), words normalised and split (subword.ts), the first maxWords words kept, each
//   word a whole token or WordPiece pieces learned by BPE on our corpus, so no ASCII word is [UNK].
// - 'medbind-word-vocab' (the first shipped weights): one token per word, unknown words -> [UNK].
// analyze() reports, per word, whether the model knows it as a whole word, read it through an
// abbreviation, or only through subword pieces (what the search box shows).
import abbreviationsJson from './configs/abbreviations.json';
import { learnSubwords, normalizeWords, wordPieces } from './subword';

export const PAD = '[PAD]';
export const UNK = '[UNK]';
export const CLS = '[CLS]';
export const PAD_ID = 0;
export const UNK_ID = 1;
export const CLS_ID = 2;

export const DEFAULT_ABBREVIATIONS: Readonly<Record<string, string>> = (abbreviationsJson as { expansions: Record<string, string> }).expansions;

export interface VocabJson {
  format: 'medbind-word-vocab' | 'medbind-subword-vocab';
  version: 1;
  maxWords: number;
  /** Index = token id; the first three are [PAD], [UNK], [CLS]. */
  tokens: string[];
  /** Subword format: how many tokens after the specials are whole corpus words (the word-level vocabulary). */
  wordCount?: number;
  /** Subword format: abbreviation -> expansion, applied before splitting into words. */
  abbreviations?: Record<string, string>;
}

/** How the tokenizer read one word of a text. */
export interface WordReading {
  word: string;
  /** 'word': a whole-word token seen in the training corpus; 'abbreviation': expanded to `expansion`;
   * 'subword': not a corpus word, read as pieces; 'unknown': contains characters outside the vocabulary. */
  status: 'word' | 'abbreviation' | 'subword' | 'unknown';
  pieces: string[];
  expansion?: string;
}

export function splitWords(text: string, maxWords: number): string[] {
  const words = text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
  return words.slice(0, maxWords);
}

export interface BuildOptions {
  maxWords: number;
  minCount: number;
  maxVocab: number;
}

export class Tokenizer {
  readonly tokens: readonly string[];
  readonly maxWords: number;
  readonly format: VocabJson['format'];
  readonly abbreviations: Readonly<Record<string, string>>;
  private readonly index: Map<string, number>;
  private readonly words: Set<string>;
  private readonly wordCount: number;

  constructor(tokens: string[], maxWords: number, opts: { format?: VocabJson['format']; wordCount?: number; abbreviations?: Record<string, string> } = {}) {
    if (tokens[PAD_ID] !== PAD || tokens[UNK_ID] !== UNK || tokens[CLS_ID] !== CLS) {
      throw new Error('tokenizer: vocabulary must start with [PAD], [UNK], [CLS]');
    }
    this.tokens = tokens;
    this.maxWords = maxWords;
    this.format = opts.format ?? 'medbind-word-vocab';
    this.abbreviations = opts.abbreviations ?? {};
    this.index = new Map(tokens.map((t, i) => [t, i]));
    this.wordCount = this.format === 'medbind-subword-vocab' ? (opts.wordCount ?? 0) : tokens.length - 3;
    this.words = new Set(tokens.slice(3, 3 + this.wordCount));
  }

  get vocabSize(): number {
    return this.tokens.length;
  }

  /** Word-level vocabulary: words counted at least minCount times, most frequent first (ties alphabetical). */
  static build(corpus: Iterable<string>, opts: BuildOptions): Tokenizer {
    const counts = new Map<string, number>();
    for (const text of corpus) for (const w of splitWords(text, opts.maxWords)) counts.set(w, (counts.get(w) ?? 0) + 1);
    const words = [...counts.entries()]
      .filter(([, c]) => c >= opts.minCount)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, Math.max(0, opts.maxVocab - 3))
      .map(([w]) => w);
    return new Tokenizer([PAD, UNK, CLS, ...words], opts.maxWords);
  }

  /**
   * Subword vocabulary from a corpus (after abbreviation expansion): the corpus words counted at least
   * minCount times as whole tokens (most frequent first, at most half of maxVocab), then the subword
   * pieces of a BPE run over all words, up to maxVocab tokens in all.
   */
  static buildSubword(corpus: Iterable<string>, opts: BuildOptions & { abbreviations?: Record<string, string> }): Tokenizer {
    const abbreviations = opts.abbreviations ?? { ...DEFAULT_ABBREVIATIONS };
    const counts = new Map<string, number>();
    for (const text of corpus) for (const w of expandWords(normalizeWords(text), abbreviations)) counts.set(w, (counts.get(w) ?? 0) + 1);
    const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const words = sorted.filter(([, c]) => c >= opts.minCount).slice(0, Math.floor(opts.maxVocab / 2)).map(([w]) => w);
    const wordSet = new Set(words);
    const pieces = learnSubwords(counts, Math.max(0, opts.maxVocab - 3 - words.length)).filter((p) => !wordSet.has(p));
    return new Tokenizer([PAD, UNK, CLS, ...words, ...pieces], opts.maxWords, { format: 'medbind-subword-vocab', wordCount: words.length, abbreviations });
  }

  static fromJson(json: unknown): Tokenizer {
    const j = json as Partial<VocabJson>;
    if (!j || (j.format !== 'medbind-word-vocab' && j.format !== 'medbind-subword-vocab') || !Array.isArray(j.tokens) || typeof j.maxWords !== 'number') {
      throw new Error('tokenizer: not a medbind-word-vocab or medbind-subword-vocab JSON');
    }
    if (j.format === 'medbind-subword-vocab' && (typeof j.wordCount !== 'number' || j.wordCount < 0 || j.wordCount > j.tokens.length - 3)) {
      throw new Error('tokenizer: subword vocabulary lacks a valid wordCount');
    }
    const abbreviations: Record<string, string> = {};
    for (const [k, v] of Object.entries(j.abbreviations ?? {})) if (typeof v === 'string') abbreviations[k] = v;
    return new Tokenizer(j.tokens.map(String), j.maxWords, { format: j.format, wordCount: j.wordCount, abbreviations });
  }

  toJson(): VocabJson {
    const base: VocabJson = { format: this.format, version: 1, maxWords: this.maxWords, tokens: [...this.tokens] };
    return this.format === 'medbind-subword-vocab' ? { ...base, wordCount: this.wordCount, abbreviations: { ...this.abbreviations } } : base;
  }

  /** How each of the first maxWords words of a text is read (after abbreviation expansion). */
  analyze(text: string): WordReading[] {
    if (this.format === 'medbind-word-vocab') {
      return splitWords(text, this.maxWords).map((w) => (this.index.has(w) ? { word: w, status: 'word', pieces: [w] } : { word: w, status: 'unknown', pieces: [UNK] }));
    }
    const out: WordReading[] = [];
    let count = 0;
    for (const w of normalizeWords(text)) {
      if (count >= this.maxWords) break;
      const exp = this.abbreviations[w];
      const parts = exp !== undefined ? normalizeWords(exp) : [w];
      const pieces: string[] = [];
      let unknown = false;
      let allWords = true;
      for (const part of parts) {
        if (count >= this.maxWords) break;
        count++;
        const p = wordPieces(part, (t) => this.index.has(t));
        if (!p) {
          unknown = true;
          pieces.push(UNK);
        } else pieces.push(...p);
        if (!this.words.has(part)) allWords = false;
      }
      const status = unknown ? 'unknown' : exp !== undefined && allWords ? 'abbreviation' : allWords ? 'word' : 'subword';
      out.push(exp !== undefined ? { word: w, status, pieces, expansion: exp } : { word: w, status, pieces });
    }
    return out;
  }

  /** Words of a text that the model did not know as whole words (read as subword pieces or [UNK]). */
  unknownWords(text: string): WordReading[] {
    return this.analyze(text).filter((r) => r.status === 'subword' || r.status === 'unknown');
  }

  /** [CLS] + ids of the first maxWords words (subword: their pieces; word-level: unknown -> [UNK]). */
  encode(text: string): number[] {
    const ids = [CLS_ID];
    for (const r of this.analyze(text)) for (const p of r.pieces) ids.push(this.index.get(p) ?? UNK_ID);
    return ids;
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

/** Words with abbreviations replaced by the words of their expansion. */
export function expandWords(words: string[], abbreviations: Readonly<Record<string, string>>): string[] {
  return words.flatMap((w) => (abbreviations[w] !== undefined ? normalizeWords(abbreviations[w]) : [w]));
}
