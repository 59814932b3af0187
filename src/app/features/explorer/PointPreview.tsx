// The side panel that follows the pointer: a CXR thumbnail, a lead II strip, or the text, with labels.
import type { ExplorerPoints } from '../../state';
import { POINT_KINDS } from '../../state';
import { useThumbUrl } from '../../state';
import { EcgStrip } from './EcgStrip';

const KIND_NAME: Record<string, string> = { ecg: 'ECG', cxr: 'Chest X-ray', text: 'Text' };

function Thumb({ id }: { id: string }) {
  const { value: url, error } = useThumbUrl(id);
  if (error) return <p className="small muted">No preview: {error}</p>;
  return url ? <img className="explorer-thumb" src={url} alt={`Chest X-ray ${id}`} /> : <div className="explorer-thumb" />;
}

export function PointPreview({ points, row, title }: { points: ExplorerPoints; row: number | null; title: string }) {
  if (row === null || row >= points.n) {
    return (
      <div className="explorer-preview" data-testid="explorer-preview">
        <p className="small muted">{title}</p>
      </div>
    );
  }
  const kind = POINT_KINDS[points.kind[row]];
  const id = points.ids[row];
  return (
    <div className="explorer-preview" data-testid="explorer-preview">
      <div className="small muted">
        {KIND_NAME[kind] ?? kind}
        {points.dataset[row] ? ` · ${points.dataset[row]}` : ''}
        {kind === 'text' && points.count[row] ? ` · ${points.count[row]} item(s)` : ''}
      </div>
      <strong className="explorer-preview__name" title={id}>
        {points.sourceName[row]}
      </strong>
      {kind === 'cxr' && <Thumb id={id} />}
      {kind === 'ecg' && <EcgStrip id={id} />}
      {points.labels[row].length > 0 && (
        <div className="chips">
          {points.labels[row].map((l) => (
            <span className="chip" key={l}>
              {l}
            </span>
          ))}
        </div>
      )}
      {points.text[row] && <p className="small explorer-preview__text">{points.text[row]}</p>}
    </div>
  );
}
