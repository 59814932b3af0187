import { describe, expect, it } from 'vitest';
import { CLS_ID, PAD_ID, Tokenizer, UNK_ID, splitWords } from './tokenizer';

describe('Tokenizer', () => {
  const tok = Tokenizer.build(['Sinus rhythm, normal ECG.', 'sinus tachycardia', 'rare'], { maxWords: 100, minCount: 2, maxVocab: 50 });

  it('lowercases, splits on non-alphanumerics and keeps the first maxWords words', () => {
    expect(splitWords('ST-T changes; QRS>120ms (V1-V3)', 100)).toEqual(['st', 't', 'changes', 'qrs', '120ms', 'v1', 'v3']);
    const long = Array.from({ length: 150 }, (_, i) => `w${i}`).join(' ');
    expect(splitWords(long, 100)).toHaveLength(100);
  });

  it('keeps words seen at least minCount times, after [PAD] [UNK] [CLS]', () => {
    expect(tok.tokens).toEqual(['[PAD]', '[UNK]', '[CLS]', 'sinus']);
    expect(tok.encode('Sinus arrest')).toEqual([CLS_ID, 3, UNK_ID]);
  });

  it('pads batches to a bucketed length, capped at maxTokens', () => {
    const b = tok.encodeBatch(['sinus', 'sinus sinus sinus sinus sinus'], 4, 101);
    expect(b.T).toBe(8);
    expect(Array.from(b.ids.subarray(0, 8))).toEqual([CLS_ID, 3, PAD_ID, PAD_ID, PAD_ID, PAD_ID, PAD_ID, PAD_ID]);
    const capped = tok.encodeBatch([Array(300).fill('sinus').join(' ')], 16, 101);
    expect(capped.T).toBe(101);
  });

  it('round-trips through JSON and rejects other files', () => {
    const back = Tokenizer.fromJson(JSON.parse(JSON.stringify(tok.toJson())));
    expect(back.tokens).toEqual(tok.tokens);
    expect(back.encode('sinus rhythm')).toEqual(tok.encode('sinus rhythm'));
    expect(() => Tokenizer.fromJson({ tokens: ['a'] })).toThrow(/medbind-word-vocab/);
  });
});
