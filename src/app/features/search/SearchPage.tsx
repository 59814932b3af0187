// Search: a CXR, an ECG or a text as the query; nearest ECGs (with 12-lead plots), CXRs and report texts.
import { useEffect, useState } from 'react';
import { PairingNotice } from '../../components/PairingNotice';
import { useStudio } from '../../state';
import { readActivePairing, type PairingInfo } from '../../state';
import { CxrResults } from './CxrResults';
import { EcgResults } from './EcgResults';
import { QueryPanel } from './QueryPanel';
import { QuerySummary } from './QuerySummary';
import { TextResults } from './TextResults';

export default function SearchPage() {
  const search = useStudio((s) => s.search);
  const total = useStudio((s) => s.stats?.total ?? null);
  const [k, setK] = useState(search.k);
  const results = search.results;
  const kind = results?.query.kind;
  const [pairing, setPairing] = useState<PairingInfo | null>(null);
  useEffect(() => {
    let live = true;
    readActivePairing().then((p) => live && setPairing(p), () => undefined);
    return () => {
      live = false;
    };
  }, [results]);
  return (
    <section className="page">
      <div className="page__head">
        <div>
          <h2>Search</h2>
          <p className="muted">
            Drop a chest X-ray to find ECGs, an ECG to find chest X-rays, or describe findings in words to find both.
          </p>
        </div>
      </div>
      {total === 0 && <p className="notice notice--info">The library is empty: add files or load the demo library first.</p>}
      <QueryPanel k={k} onK={setK} busy={search.running} />
      {search.error && (
        <p className="error" data-testid="search-error">
          Search for {search.label} failed: {search.error}
        </p>
      )}
      {results && (
        <div className={`results${search.running ? ' results--stale' : ''}`}>
          <QuerySummary label={search.label} results={results} previewImage={search.previewImage} />
          {kind !== 'text' && <PairingNotice pairing={pairing} />}
          <EcgResults hits={results.ecg} crossModal={kind === 'cxr'} />
          <CxrResults hits={results.cxr} crossModal={kind === 'ecg'} />
          <TextResults hits={results.text} />
        </div>
      )}
    </section>
  );
}
