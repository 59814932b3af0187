// Method 2 of the few-shot page: local fine-tuning of the projection head in the lab worker, with live
// curves and pause / resume / cancel. The run lives in lab state, so it goes on when the user leaves.
import { useMemo, type Dispatch } from 'react';
import type { BackendInfo } from '../../../workers/api';
import { ProgressBar } from '../../components/ProgressBar';
import { controlFinetune, startFinetune, useLab, type FinetuneSpec } from '../../state';
import type { StoredPromptSet } from '../../../storage/types';
import { Chart } from './Chart';
import { pct } from './downloads';
import { bestValAccuracy, curveTraces, finetuneSpecOf, finetuneStatusText, isFinetuneRunning, type FewShotForm, type FormAction } from './form';

const LOSS_LAYOUT = { title: { text: 'Loss per epoch', font: { size: 13 } }, xaxis: { title: { text: 'epoch' } } };
const ACC_LAYOUT = { title: { text: 'Balanced accuracy per epoch', font: { size: 13 } }, xaxis: { title: { text: 'epoch' } }, yaxis: { range: [0, 1] } };

interface Props {
  form: FewShotForm;
  dispatch: Dispatch<FormAction>;
  promptSet: StoredPromptSet | undefined;
  backend: BackendInfo | null;
}

export function FinetunePanel({ form, dispatch, promptSet, backend }: Props) {
  const ft = useLab((s) => s.finetune);
  const set = (patch: Extract<FormAction, { type: 'set' }>['patch']) => dispatch({ type: 'set', patch });
  const running = isFinetuneRunning(ft.status);
  const curves = useMemo(() => curveTraces(ft.epochs), [ft.epochs]);
  const out = ft.outcome;
  const lastVal = bestValAccuracy(ft);
  return (
    <div className="panel">
      <h3>Method 2 — local fine-tuning (projection head, in a worker)</h3>
      {backend ? (
        <p className={backend.backend === 'webgpu' ? 'small muted' : 'notice notice--warn'} data-testid="fewshot-backend">
          <span>
            Training runs on <b>{backend.backend}</b>
            {backend.adapter ? ` (${backend.adapter})` : ''}. {backend.backend === 'webgpu' ? '' : `No hardware WebGPU: ${backend.reason}. Training uses the slower ${backend.backend} fallback.`}
          </span>
        </p>
      ) : null}
      <div className="page__actions">
        <label>
          Objective{' '}
          <select value={form.objective} onChange={(e) => set({ objective: e.target.value as FinetuneSpec['objective'] })}>
            <option value="prompt-contrastive">contrastive over the class prompts (stays zero-shot capable)</option>
            <option value="cross-entropy">plain cross-entropy (linear classifier on top)</option>
          </select>
        </label>
        <label>
          Trains{' '}
          <select value={form.scope} onChange={(e) => set({ scope: e.target.value as FinetuneSpec['scope'] })}>
            <option value="projection">projection head</option>
            <option value="projection+final-norm">projection head + the encoder's final LayerNorm</option>
          </select>
        </label>
      </div>
      <div className="page__actions small">
        <label>
          Epochs <input type="number" min={1} max={1000} value={form.epochs} onChange={(e) => set({ epochs: Number(e.target.value) })} style={{ width: 70 }} data-testid="fewshot-epochs" />
        </label>
        <label>
          Batch <input type="number" min={1} max={1024} value={form.batchSize} onChange={(e) => set({ batchSize: Number(e.target.value) })} style={{ width: 70 }} />
        </label>
        <label>
          Learning rate <input type="number" step="0.0001" min={0} value={form.learningRate} onChange={(e) => set({ learningRate: Number(e.target.value) })} style={{ width: 90 }} />
        </label>
        <label>
          Weight decay <input type="number" step="0.01" min={0} value={form.weightDecay} onChange={(e) => set({ weightDecay: Number(e.target.value) })} style={{ width: 70 }} />
        </label>
        <label>
          Early stopping patience <input type="number" min={0} value={form.patience} onChange={(e) => set({ patience: Number(e.target.value) })} style={{ width: 60 }} />
        </label>
      </div>
      <div className="page__actions">
        <button className="button" data-testid="fewshot-start" disabled={running || !promptSet} onClick={() => promptSet && startFinetune(finetuneSpecOf(form, promptSet))}>
          Start fine-tuning
        </button>
        <button className="button button--secondary" disabled={ft.status !== 'training'} onClick={() => void controlFinetune('pause')}>
          Pause
        </button>
        <button className="button button--secondary" disabled={ft.status !== 'paused'} onClick={() => void controlFinetune('resume')}>
          Resume
        </button>
        <button className="button button--danger" disabled={!running} onClick={() => void controlFinetune('cancel')}>
          Cancel
        </button>
      </div>
      <p data-testid="fewshot-status">Status: {finetuneStatusText(ft)}</p>
      {ft.status === 'features' && ft.features ? <ProgressBar progress={ft.features} label="Frozen features" /> : null}
      {ft.spec ? (
        <p className="small muted" data-testid="fewshot-settings">
          Settings: {ft.spec.promptSet.name} · K = {String(ft.spec.k)} · seed {ft.spec.seed} · {ft.spec.objective} · {ft.spec.scope} · {ft.spec.epochs} epochs · batch {ft.spec.batchSize} · lr {ft.spec.learningRate} · weight decay{' '}
          {ft.spec.weightDecay} · patience {ft.spec.patience}
        </p>
      ) : null}
      {ft.epochs.length ? (
        <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 12 }}>
          <Chart data={curves.loss} layout={LOSS_LAYOUT} testId="fewshot-loss-chart" />
          <Chart data={curves.acc} layout={ACC_LAYOUT} testId="fewshot-acc-chart" />
        </div>
      ) : null}
      {out || lastVal !== null ? (
        <p>
          Validation balanced accuracy (items outside the support set): <b data-testid="fewshot-accuracy">{pct(out ? out.valBalancedAccuracy : lastVal)}</b>
          {out ? (
            <>
              {' '}
              · zero-shot of the base version on the same {out.nVal} items: <b data-testid="fewshot-zeroshot-accuracy">{pct(out.zeroShotValBalancedAccuracy)}</b> · gain{' '}
              {Number.isFinite(out.zeroShotValBalancedAccuracy) ? `${(100 * (out.valBalancedAccuracy - out.zeroShotValBalancedAccuracy)).toFixed(1)} points` : '—'} · best epoch {out.bestEpoch} ·{' '}
              {out.nTrain} training items · backend {out.backend.backend}
            </>
          ) : null}
        </p>
      ) : null}
    </div>
  );
}
