import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatRate, formatSimilarity } from './format';

describe('format', () => {
  it('formats sizes, durations, rates and similarities', () => {
    expect(formatBytes(null)).toBe('—');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1_500_000)).toBe('1.5 MB');
    expect(formatBytes(250_000_000)).toBe('250 MB');
    expect(formatDuration(42.4)).toBe('42 s');
    expect(formatDuration(125)).toBe('2 min 05 s');
    expect(formatDuration(3 * 3600 + 60)).toBe('3 h 01 min');
    expect(formatDuration(null)).toBe('—');
    expect(formatRate(0)).toBe('—');
    expect(formatRate(3.25)).toBe('3.3 items/s');
    expect(formatRate(120.4)).toBe('120 items/s');
    expect(formatSimilarity(-0.12345)).toBe('-0.123');
  });
});
