import { describe, expect, it } from 'vitest';
import { isTextEmbeddingId, textEmbeddingId, textOfEmbeddingId } from './embedding-ids';

describe('embedding ids', () => {
  it('a text id round-trips, also for a text that itself starts with the prefix', () => {
    for (const t of ['normal sinus rhythm', 'text: a caption', '']) {
      const id = textEmbeddingId(t);
      expect(isTextEmbeddingId(id)).toBe(true);
      expect(textOfEmbeddingId(id)).toBe(t);
    }
    expect(isTextEmbeddingId('ptbxl/00001_lr')).toBe(false);
  });
});
