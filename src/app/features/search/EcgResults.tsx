// ECG hits as cards with a compact 12-lead plot; a click opens the full-size, zoomable sheet.
import { useState } from 'react';
// eslint-disable-next-line @typescript-eslint/no-restricted-imports -- layer exception kept until the app-state rework routes this through the workers
import { formatDuration } from '../../../formats/duration';
import type { ItemHit } from '../../../workers/api';
import { EcgPlot, EcgScaleNote } from '../../components/EcgPlot';
import { formatSimilarity } from '../../components/format';
import { Labels } from '../../components/Labels';
import { Modal } from '../../components/Modal';
import { useEcg } from '../../state';
import { ResultSection } from './ResultSection';

function EcgCard({ hit, rank, onOpen }: { hit: ItemHit; rank: number; onOpen(): void }) {
  const { value: ecg, error } = useEcg(hit.id);
  return (
    <article className="card card--ecg" data-testid="result-ecg">
      <button className="card__plot" onClick={onOpen} title="Open full size" aria-label={`Open ECG ${hit.sourceName} full size`}>
        {ecg ? (
          <EcgPlot ecg={ecg} mode="compact" />
        ) : (
          <div className="ecg-plot ecg-plot--placeholder" data-testid="ecg-plot">
            {error ? `Signal unavailable: ${error}` : 'Loading signal…'}
          </div>
        )}
      </button>
      <div className="card__meta">
        <div className="card__title">
          <span className="rank">#{rank}</span>
          <span className="sim" title="Cosine similarity">
            {formatSimilarity(hit.similarity)}
          </span>
          <span className="card__name" title={hit.id}>
            {hit.sourceName}
          </span>
          <span className="muted small">{hit.dataset}</span>
        </div>
        <Labels labels={hit.labels} />
        <p className="card__text">{hit.text}</p>
      </div>
    </article>
  );
}

function EcgFull({ hit, onClose }: { hit: ItemHit; onClose(): void }) {
  const { value: ecg, error } = useEcg(hit.id);
  return (
    <Modal title={`${hit.sourceName} — ${hit.dataset}`} onClose={onClose}>
      <div className="modal-ecg">
        {ecg ? <EcgPlot ecg={ecg} mode="full" maxHeightPx={window.innerHeight * 0.68} /> : <p className="muted">{error ?? 'Loading signal…'}</p>}
        <div className="modal-ecg__meta">
          {ecg && <EcgScaleNote fsHz={ecg.fsHz} />}
          {ecg && (ecg.durationS !== undefined || ecg.notes) && (
            <span className="small muted" data-testid="ecg-recording-note">
              {ecg.durationS !== undefined && `Recording ${formatDuration(ecg.durationS)}`}
              {ecg.durationS !== undefined && ecg.notes && ' · '}
              {ecg.notes}
            </span>
          )}
          <span className="small muted">Drag to zoom a region, scroll to zoom, double-click to reset.</span>
          <Labels labels={hit.labels} />
          <p>{hit.text}</p>
        </div>
      </div>
    </Modal>
  );
}

export function EcgResults({ hits, crossModal }: { hits: ItemHit[]; crossModal: boolean }) {
  const [open, setOpen] = useState<ItemHit | null>(null);
  return (
    <ResultSection
      title="Matching ECGs"
      count={hits.length}
      crossModal={crossModal ? 'CXR→ECG' : null}
      emptyText="No ECGs in the library."
      gridClass="card-grid--ecg"
      after={open && <EcgFull hit={open} onClose={() => setOpen(null)} />}
    >
      {hits.map((h, i) => (
        <EcgCard key={h.id} hit={h} rank={i + 1} onOpen={() => setOpen(h)} />
      ))}
    </ResultSection>
  );
}
