// Similar chest X-rays: thumbnail, similarity, labels and report text.
import type { ItemHit } from '../../../workers/api';
import { formatSimilarity } from '../../components/format';
import { Labels } from '../../components/Labels';
import { useThumbUrl } from '../../state';

function CxrCard({ hit, rank }: { hit: ItemHit; rank: number }) {
  const { value: url, error } = useThumbUrl(hit.id);
  return (
    <article className="card card--cxr" data-testid="result-cxr">
      <div className="thumb">
        {url ? <img src={url} alt={`Chest X-ray ${hit.sourceName}`} /> : <span className="small muted">{error ? 'no preview' : '…'}</span>}
      </div>
      <div className="card__meta">
        <div className="card__title">
          <span className="rank">#{rank}</span>
          <span className="sim" title="Cosine similarity">
            {formatSimilarity(hit.similarity)}
          </span>
        </div>
        <span className="card__name" title={hit.id}>
          {hit.sourceName}
        </span>
        <span className="muted small">{hit.dataset}</span>
        <Labels labels={hit.labels} />
        <p className="card__text">{hit.text}</p>
      </div>
    </article>
  );
}

export function CxrResults({ hits, crossModal }: { hits: ItemHit[]; crossModal: boolean }) {
  return (
    <section className="result-section">
      <h3>
        Similar chest X-rays <span className="muted small">({hits.length})</span>
      </h3>
      {crossModal && (
        <p className="small caveat-inline">
          ECG→CXR similarity comes from a CXR–ECG link trained on a demo pairing by shared finding category, not on
          clinical evidence.
        </p>
      )}
      {hits.length === 0 ? (
        <p className="muted">No chest X-rays in the library.</p>
      ) : (
        <div className="card-grid card-grid--cxr">
          {hits.map((h, i) => (
            <CxrCard key={h.id} hit={h} rank={i + 1} />
          ))}
        </div>
      )}
    </section>
  );
}
