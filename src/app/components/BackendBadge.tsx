// Shows which compute backend runs and why (never a silent fallback), and lets the user force one.
import type { BackendChoice, BackendInfo } from '../../workers/api';
import { chooseBackend, useStudio } from '../state';

export function backendSummary(info: BackendInfo): string {
  const adapter = info.adapter ? ` (${info.adapter})` : '';
  return `${info.backend}${adapter} — ${info.reason}${info.forced ? ' [forced]' : ''}`;
}

export function BackendBadge() {
  const backend = useStudio((s) => s.backend);
  const error = useStudio((s) => s.backendError);
  const busy = useStudio((s) => s.backendBusy);
  const text = busy ? 'switching backend…' : backend ? backendSummary(backend) : error ? `engine error: ${error}` : 'starting engine…';
  const tone = error ? 'bad' : backend?.backend === 'webgpu' ? 'good' : backend ? 'warn' : 'idle';
  return (
    <span className={`badge badge--${tone}`} data-testid="backend-badge" title={text}>
      <span className="badge__dot" aria-hidden="true" />
      {text}
    </span>
  );
}

const CHOICES: { value: BackendChoice; label: string }[] = [
  { value: 'auto', label: 'Automatic' },
  { value: 'webgpu', label: 'WebGPU' },
  { value: 'wasm', label: 'WebAssembly' },
  { value: 'cpu', label: 'CPU (slow)' },
];

/** The `?backend=` URL parameter, which the worker honours at start-up. */
export function urlBackend(search: string): BackendChoice | null {
  const v = new URLSearchParams(search).get('backend');
  return CHOICES.some((c) => c.value === v) ? (v as BackendChoice) : null;
}

export function BackendSetting() {
  const backend = useStudio((s) => s.backend);
  const busy = useStudio((s) => s.backendBusy);
  const fromUrl = urlBackend(window.location.search);
  const value: BackendChoice = backend?.forced ? backend.backend : 'auto';
  return (
    <label className="backend-setting">
      <span className="small muted">Backend</span>
      <select
        data-testid="backend-select"
        value={value}
        disabled={busy || !backend}
        onChange={(e) => void chooseBackend(e.target.value as BackendChoice)}
        title={fromUrl ? `Set by the URL parameter ?backend=${fromUrl}` : 'Force a compute backend (saved)'}
      >
        {CHOICES.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </label>
  );
}
