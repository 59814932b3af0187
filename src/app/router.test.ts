import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref } from './router';

describe('parseRoute', () => {
  it('reads the page from the hash and falls back to the library', () => {
    expect(parseRoute('#/search')).toBe('search');
    expect(parseRoute('#about')).toBe('about');
    expect(parseRoute('#/explorer/item/3')).toBe('explorer');
    expect(parseRoute('')).toBe('library');
    expect(parseRoute('#/nope')).toBe('library');
    expect(parseRoute(routeHref('fewshot'))).toBe('fewshot');
  });
});
