// One block of search results: heading with count, the demo-pairing caveat when the hits come from the
// other modality, an empty-library message, and the cards in a grid.
import type { ReactNode } from 'react';

export function ResultSection(props: {
  title: string;
  count: number;
  /** e.g. "CXR→ECG" when the query is in the other modality; null for same-modality results. */
  crossModal: string | null;
  emptyText: string;
  gridClass: string;
  children: ReactNode;
  after?: ReactNode;
}) {
  return (
    <section className="result-section">
      <h3>
        {props.title} <span className="muted small">({props.count})</span>
      </h3>
      {props.crossModal && (
        <p className="small caveat-inline">
          {props.crossModal} similarity comes from a CXR–ECG link trained on a demo pairing by shared finding category, not
          on clinical evidence.
        </p>
      )}
      {props.count === 0 ? <p className="muted">{props.emptyText}</p> : <div className={`card-grid ${props.gridClass}`}>{props.children}</div>}
      {props.after}
    </section>
  );
}
