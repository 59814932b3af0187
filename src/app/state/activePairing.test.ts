import { describe, expect, it } from 'vitest';
import { DEMO_PAIRING_LABEL, pairingOfVersion } from './activePairing';

describe('pairingOfVersion', () => {
  const shipped = { id: 'bd-1', parent: null, shipped: true, lineage: {} };
  const bound = { id: 'bind-2', parent: 'bd-1', lineage: { kind: 'pair-binding', pairing: { file: 'mimic-pairs.csv', label: 'mimic-pairs.csv', pairs: 812 } } };
  const tuned = { id: 'ft-3', parent: 'bind-2', lineage: { data: {} } };
  it('names the file and pair count of a bound version, inherited by its fine-tuned children; the shipped one has the demo pairing', () => {
    const all = [shipped, bound, tuned];
    expect(pairingOfVersion(bound, all)).toEqual({ demo: false, label: 'mimic-pairs.csv (812 pairs)' });
    expect(pairingOfVersion(tuned, all)).toEqual({ demo: false, label: 'mimic-pairs.csv (812 pairs)' });
    expect(pairingOfVersion(shipped, all)).toEqual({ demo: true, label: DEMO_PAIRING_LABEL });
    expect(pairingOfVersion({ id: 'ft-9', parent: 'bd-1', lineage: {} }, all).demo).toBe(true);
  });
});
