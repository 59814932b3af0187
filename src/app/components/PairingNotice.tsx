// The caveat every cross-modal view must carry: no public data set pairs a CXR and an ECG of one patient.
// With `pairing`, it names the pairing the active version learned its CXR-ECG link from.
import type { PairingInfo } from '../state';

export function PairingNotice({ compact, pairing }: { compact?: boolean; pairing?: PairingInfo | null }) {
  if (pairing && !pairing.demo) {
    return (
      <div className="notice notice--caveat" role="note" data-testid="pairing-notice">
        <strong>Research use only.</strong> The active model version learned its CXR↔ECG link from your pairing{' '}
        <b data-testid="pairing-notice-source">{pairing.label}</b>. CXR↔ECG matches are evidence only as far as those pairs are the
        same patient and visit; they must not be used for diagnosis.
      </div>
    );
  }
  return (
    <div className="notice notice--caveat" role="note" data-testid="pairing-notice">
      <strong>Research use only.</strong>{' '}
      {compact ? (
        <>
          No public data set pairs a CXR and an ECG of the same patient: the demo CXR↔ECG pairings are by shared
          finding category, not clinical evidence.
        </>
      ) : (
        <>
          No public data set pairs a chest X-ray and an ECG of the same patient. The model's CXR↔ECG link was
          trained on <span data-testid="pairing-notice-source">{pairing ? pairing.label : 'a demo pairing by shared finding category'}</span>:
          images and ECGs are matched because their findings fall in the same category (e.g. a “normal” CXR with a
          “normal” ECG). CXR↔ECG matches therefore reflect shared finding categories, not clinical evidence
          about any patient, and must not be used for diagnosis.
        </>
      )}
    </div>
  );
}
