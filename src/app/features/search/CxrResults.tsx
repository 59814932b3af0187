// Similar chest X-rays: thumbnail, similarity, labels and report text.
import type { ItemHit } from '../../../workers/api';
import { formatSimilarity } from '../../components/format';
import { Labels } from '../../components/Labels';
import { useThumbUrl } from '../../state';
import { ResultSection } from './ResultSection';

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
    <ResultSection title="Similar chest X-rays" count={hits.length} crossModal={crossModal ? 'ECG→CXR' : null} emptyText="No chest X-rays in the library." gridClass="card-grid--cxr">
      {hits.map((h, i) => (
        <CxrCard key={h.id} hit={h} rank={i + 1} />
      ))}
    </ResultSection>
  );
}
