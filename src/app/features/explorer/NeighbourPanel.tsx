// Nearest neighbours of the clicked point, per modality, by cosine in the full embedding space.
import type { ExplorerPoints, NeighbourLists, PointKind } from '../../state';

const SECTIONS: { kind: PointKind; title: string }[] = [
  { kind: 'ecg', title: 'ECGs' },
  { kind: 'cxr', title: 'Chest X-rays' },
  { kind: 'text', title: 'Texts' },
];

export function NeighbourList({
  points,
  lists,
  onPick,
  testId,
}: {
  points: ExplorerPoints;
  lists: NeighbourLists;
  onPick(row: number): void;
  testId: string;
}) {
  return (
    <div className="explorer-neighbours" data-testid={testId}>
      {SECTIONS.map(({ kind, title }) => (
        <section key={kind}>
          <h4>{title}</h4>
          {lists[kind].length === 0 ? (
            <p className="small muted">none in the library</p>
          ) : (
            <ol>
              {lists[kind].map((h) => (
                <li key={h.index} data-testid="explorer-neighbor">
                  <button className="button--link" onClick={() => onPick(h.index)} title={points.ids[h.index]}>
                    {points.sourceName[h.index]}
                  </button>
                  <span className="sim" title="Cosine similarity">
                    {h.similarity.toFixed(3)}
                  </span>
                  {points.labels[h.index].length > 0 && <span className="small muted"> {points.labels[h.index].join(', ')}</span>}
                </li>
              ))}
            </ol>
          )}
        </section>
      ))}
    </div>
  );
}
