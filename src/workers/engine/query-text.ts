// A typed query longer than the text encoder reads: the model sees the first maxWords words (the same
// word split as the tokenizer), so the search says so and shows the part it used.
import { defaultConfig } from '../../model/config';

const WORD = /[\p{L}\p{N}]+/gu;

export interface ClippedQuery {
  /** The query up to the end of its last word the model reads. */
  used: string;
  words: number;
  maxWords: number;
  clipped: boolean;
}

export function clipQueryText(text: string, maxWords = defaultConfig().text.maxWords): ClippedQuery {
  let n = 0;
  let end = text.length;
  for (const m of text.matchAll(WORD)) {
    n++;
    if (n === maxWords) end = (m.index ?? 0) + m[0].length;
  }
  const clipped = n > maxWords;
  return { used: clipped ? text.slice(0, end) : text, words: n, maxWords, clipped };
}

export function clippedNote(q: ClippedQuery): string {
  return `The model reads the first ${q.maxWords} words of a text; this query has ${q.words.toLocaleString('en-US')} words, so the search used the first ${q.maxWords}.`;
}
