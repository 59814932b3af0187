// What was asked, how long it took, and the query's nearest report texts ("findings").
import type { SearchResults } from '../../../workers/api';
import { formatSimilarity } from '../../components/format';
import { QueryPreview } from './QueryPreview';
import { QueryWords } from './QueryWords';

const KIND_NAMES = { cxr: 'Chest X-ray', ecg: 'ECG', text: 'Text' } as const;

interface Props {
  label: string;
  results: SearchResults;
  previewImage: Blob | null;
}

export function QuerySummary({ label, results, previewImage }: Props) {
  const q = results.query;
  return (
    <div className={`panel query-summary${previewImage ? ' query-summary--with-preview' : ''}`}>
      {previewImage && <QueryPreview image={previewImage} />}
      <div>
        <div className="query-summary__head">
          <span className="tag">{KIND_NAMES[q.kind]}</span>
          <strong className="query-summary__name query-summary__name--clamped" data-testid="query-name" title={(q.name || label).slice(0, 2000)}>
            {q.name || label}
          </strong>
          <span className="muted small">{results.elapsedMs.toFixed(0)} ms</span>
        </div>
        {q.notes && q.notes.length > 0 && (
          <ul className="query-notes notice notice--info" data-testid="query-notes">
            {q.notes.map((n, i) => (
              <li key={i}>{n}</li>
            ))}
          </ul>
        )}
        {q.words && <QueryWords words={q.words} />}
        <h4>Text findings of the query</h4>
        {q.findings.length === 0 ? (
          <p className="muted small" data-testid="query-no-findings">No findings text is close to this query.</p>
        ) : (
          <ol className="findings" data-testid="query-findings">
            {q.findings.map((f, i) => (
              <li key={i}>
                <span>{f.text}</span> <span className="sim">{formatSimilarity(f.similarity)}</span>
              </li>
            ))}
          </ol>
        )}
      </div>
    </div>
  );
}
