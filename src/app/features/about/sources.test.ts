import { describe, expect, it } from 'vitest';
import { checkManifest, checkSources } from './sources';

describe('checkSources', () => {
  it('accepts the documented shape and rejects anything else', () => {
    const good = [{ id: 'ptb-xl', name: 'PTB-XL', citation: 'Wagner et al.', licence: 'CC BY 4.0', licenceUrl: 'https://x', items: 150 }];
    expect(checkSources(good)).toEqual(good);
    expect(checkSources([{ id: 'a', name: 'b', citation: 'c', licence: 'd' }])).toEqual([
      { id: 'a', name: 'b', citation: 'c', licence: 'd', licenceUrl: '', items: 0 },
    ]);
    expect(checkSources({})).toBeNull();
    expect(checkSources([{ id: 'a' }])).toBeNull();
  });

  it('summarises a weights manifest', () => {
    expect(checkManifest({ version: 'bd-1', variant: 'BD', embedDim: 256, demoPairing: true, trainedOn: ['ptb-xl', 3] })).toEqual({
      name: 'medbind-studio',
      version: 'bd-1',
      variant: 'BD',
      embedDim: 256,
      demoPairing: true,
      trainedOn: ['ptb-xl'],
    });
    expect(checkManifest({ name: 'x' })).toBeNull();
  });
});
