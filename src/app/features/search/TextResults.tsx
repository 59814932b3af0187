// The report texts in the library nearest to the query.
import type { TextHit } from '../../../workers/api';
import { formatSimilarity } from '../../components/format';

export function TextResults({ hits }: { hits: TextHit[] }) {
  return (
    <section className="result-section">
      <h3>
        Nearest report texts <span className="muted small">({hits.length})</span>
      </h3>
      {hits.length === 0 ? (
        <p className="muted">No texts in the library.</p>
      ) : (
        <ol className="text-results">
          {hits.map((h, i) => (
            <li key={i} data-testid="result-text">
              <span className="sim">{formatSimilarity(h.similarity)}</span>
              <span className="text-results__text">{h.text}</span>
              <span className="muted small">
                {h.count} {h.count === 1 ? 'item' : 'items'}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
