import { describe, expect, it } from 'vitest';
import { parseBlocks, parseInline, safeHref } from './markdownBlocks';

describe('parseBlocks', () => {
  it('splits a model card into headings, paragraphs, lists, tables and code', () => {
    const md = [
      '# Model card',
      '',
      'Trained on **PTB-XL** and',
      'pediatric CXRs.',
      '',
      '- one',
      '- two',
      '  continued',
      '1. first',
      '',
      '| set | R@10 |',
      '|---|---:|',
      '| ptb-xl | 0.61 |',
      '',
      '```',
      'loss = tmcl + emcl',
      '```',
      '> demo pairing',
    ].join('\n');
    const b = parseBlocks(md);
    expect(b.map((x) => x.kind)).toEqual(['heading', 'paragraph', 'list', 'table', 'code', 'quote']);
    expect(b[1]).toEqual({ kind: 'paragraph', text: 'Trained on **PTB-XL** and pediatric CXRs.' });
    expect(b[2]).toEqual({ kind: 'list', ordered: false, items: ['one', 'two continued', 'first'] });
    expect(b[3]).toEqual({ kind: 'table', header: ['set', 'R@10'], rows: [['ptb-xl', '0.61']] });
    expect(b[4]).toEqual({ kind: 'code', text: 'loss = tmcl + emcl' });
  });
});

describe('parseInline', () => {
  it('finds bold, code, emphasis and links', () => {
    expect(parseInline('a **b** `c` *d* [e](https://x.org/y) f')).toEqual([
      { kind: 'text', text: 'a ' },
      { kind: 'bold', text: 'b' },
      { kind: 'text', text: ' ' },
      { kind: 'code', text: 'c' },
      { kind: 'text', text: ' ' },
      { kind: 'em', text: 'd' },
      { kind: 'text', text: ' ' },
      { kind: 'link', text: 'e', href: 'https://x.org/y' },
      { kind: 'text', text: ' f' },
    ]);
    expect(parseInline('2 * 3 * 4')).toEqual([{ kind: 'text', text: '2 * 3 * 4' }]);
  });

  it('refuses script URLs', () => {
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('data:text/html,x')).toBeNull();
    expect(safeHref('https://creativecommons.org/licenses/by/4.0/')).not.toBeNull();
    expect(safeHref('ATTRIBUTION.md')).toBe('ATTRIBUTION.md');
  });
});
