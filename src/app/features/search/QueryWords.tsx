// How the model read a text query: abbreviations it expanded, and words it did not know as whole words
// (read through subword pieces, or not at all), so a user sees when a query falls outside the vocabulary.
import type { QueryWord } from '../../../workers/api';

export function QueryWords({ words }: { words: QueryWord[] }) {
  const expanded = words.filter((w) => w.status === 'abbreviation' || (w.expansion !== undefined && w.status !== 'unknown'));
  const unknown = words.filter((w) => w.status === 'subword' || w.status === 'unknown');
  if (expanded.length === 0 && unknown.length === 0) return null;
  return (
    <div className="query-words small" data-testid="query-words">
      {expanded.length > 0 && (
        <p data-testid="query-words-expanded">
          Read as:{' '}
          {expanded.map((w, i) => (
            <span key={i}>
              {i > 0 && '; '}
              <strong>{w.word}</strong> → {w.expansion}
            </span>
          ))}
        </p>
      )}
      {unknown.length > 0 && (
        <p data-testid="query-words-unknown">
          Not in the model&apos;s word vocabulary:{' '}
          {unknown.map((w, i) => (
            <span key={i}>
              {i > 0 && ', '}
              <strong>{w.word}</strong>{' '}
              <span className="muted">{w.status === 'unknown' ? '(unknown characters)' : `(read as pieces ${w.pieces.map((p) => p.replace(/^##/, '')).join('·')})`}</span>
            </span>
          ))}
        </p>
      )}
    </div>
  );
}
