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

describe('Tokenizer (subword)', () => {
  const corpus = ['Sinus rhythm, normal ECG.', 'atrial fibrillation with rapid ventricular response', 'left bundle branch block', 'sinus tachycardia', 'pneumonia in the right lower lobe', 'Café au lait'];
  const tok = Tokenizer.buildSubword(corpus, { maxWords: 100, minCount: 1, maxVocab: 300, abbreviations: { afib: 'atrial fibrillation', lbbb: 'left bundle branch block' } });

  it('keeps corpus words whole and splits new words into pieces without [UNK]', () => {
    expect(tok.analyze('sinus rhythm')).toEqual([
      { word: 'sinus', status: 'word', pieces: ['sinus'] },
      { word: 'rhythm', status: 'word', pieces: ['rhythm'] },
    ]);
    for (const w of ['hypokalemia', 'pnuemonia', 'qrs120ms', 'zzz']) {
      const r = tok.analyze(w)[0];
      expect(r.status).toBe('subword');
      expect(r.pieces.join('').replace(/##/g, '')).toBe(w); // round-trip: pieces spell the word
      expect(r.pieces.slice(1).every((p) => p.startsWith('##'))).toBe(true);
      expect(tok.encode(w)).not.toContain(UNK_ID);
    }
  });

  it('expands clinical abbreviations before tokenising (queries and reports alike)', () => {
    expect(tok.encode('AFib')).toEqual(tok.encode('atrial fibrillation'));
    expect(tok.encode('LBBB.')).toEqual(tok.encode('left bundle branch block'));
    expect(tok.analyze('afib')[0]).toMatchObject({ word: 'afib', status: 'abbreviation', expansion: 'atrial fibrillation' });
  });

  it('reports the words it did not know, and strips accents', () => {
    expect(tok.unknownWords('sinus bradycardia with afib').map((r) => r.word)).toEqual(['bradycardia']);
    expect(tok.analyze('café')[0].status).toBe('word');
    const odd = tok.analyze('sinus 中')[1];
    expect(odd.status).toBe('unknown');
    expect(odd.pieces).toEqual(['[UNK]']);
  });

  it('round-trips through JSON with its abbreviations; the word-level format still loads', () => {
    const back = Tokenizer.fromJson(JSON.parse(JSON.stringify(tok.toJson())));
    expect(back.format).toBe('medbind-subword-vocab');
    expect(back.encode('afib with pnuemonia')).toEqual(tok.encode('afib with pnuemonia'));
    expect(back.unknownWords('afib with pnuemonia').map((r) => r.word)).toEqual(['pnuemonia']);
    const word = Tokenizer.build(['sinus sinus'], { maxWords: 100, minCount: 1, maxVocab: 10 });
    expect(Tokenizer.fromJson(word.toJson()).unknownWords('sinus afib').map((r) => r.status)).toEqual(['unknown']);
    expect(() => Tokenizer.fromJson({ ...tok.toJson(), wordCount: -1 })).toThrow(/wordCount/);
  });
});
