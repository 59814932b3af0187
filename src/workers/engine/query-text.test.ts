// A text query is cut where the tokenizer stops reading (its word split), and says so only when cut.
import { describe, expect, it } from 'vitest';
import { splitWords } from '../../model/tokenizer';
import { clipQueryText, clippedNote } from './query-text';

describe('clipQueryText', () => {
  it('keeps a short query whole and cuts a long one after its last word the model reads', () => {
    expect(clipQueryText('sinus rhythm, normal ECG', 100)).toMatchObject({ used: 'sinus rhythm, normal ECG', words: 4, clipped: false });
    const long = Array.from({ length: 130 }, (_, i) => `w${i}`).join(' -- ');
    const c = clipQueryText(long, 100);
    expect(c).toMatchObject({ words: 130, clipped: true });
    expect(splitWords(c.used, 1000)).toEqual(splitWords(long, 100));
    expect(c.used.endsWith('w99')).toBe(true);
    expect(clippedNote(c)).toBe('The model reads the first 100 words of a text; this query has 130 words, so the search used the first 100.');
  });
});
