// The caveat every cross-modal view must carry: no public data set pairs a CXR and an ECG of one patient.
export function PairingNotice({ compact }: { compact?: boolean }) {
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
          trained on a demo pairing that matches images and ECGs by shared finding category (e.g. a “normal” CXR
          with a “normal” ECG). CXR↔ECG matches therefore reflect shared finding categories, not clinical evidence
          about any patient, and must not be used for diagnosis.
        </>
      )}
    </div>
  );
}
