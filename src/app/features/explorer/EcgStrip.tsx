// A small lead II strip for hover previews: one SVG polyline, downsampled to about one point per pixel.
import { useEcg } from '../../state';

const W = 280;
const H = 70;

export function EcgStrip({ id }: { id: string }) {
  const { value: ecg, error } = useEcg(id);
  if (error) return <p className="small muted">ECG not available: {error}</p>;
  if (!ecg) return <div className="explorer-strip explorer-strip--loading" style={{ height: H }} />;
  let lead = ecg.leadNames.indexOf('II');
  if (lead < 0 || !ecg.leadsMv[lead]?.some(Number.isFinite)) lead = ecg.leadsMv.findIndex((l) => l.some(Number.isFinite));
  if (lead < 0) return <p className="small muted">No lead with samples.</p>;
  const mv = ecg.leadsMv[lead];
  const step = Math.max(1, Math.floor(mv.length / W));
  let lo = Infinity;
  let hi = -Infinity;
  // eslint-disable-next-line @typescript-eslint/no-unused-expressions -- existing short-circuit call kept as is; to be rewritten with the app-state rework
  for (const v of mv) if (Number.isFinite(v)) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
  const span = Math.max(hi - lo, 0.5);
  const pts: string[] = [];
  for (let i = 0; i < mv.length; i += step) {
    if (!Number.isFinite(mv[i])) continue;
    const x = (i / Math.max(1, mv.length - 1)) * W;
    const y = H - 4 - ((mv[i] - lo) / span) * (H - 8);
    pts.push(`${x.toFixed(1)},${y.toFixed(1)}`);
  }
  return (
    <figure className="explorer-strip">
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" height={H} role="img" aria-label={`ECG lead ${ecg.leadNames[lead]}`}>
        <polyline points={pts.join(' ')} fill="none" stroke="#1b1b1f" strokeWidth="1" />
      </svg>
      <figcaption className="small muted">
        Lead {ecg.leadNames[lead]} · {(mv.length / ecg.fsHz).toFixed(1)} s · {span.toFixed(1)} mV range
      </figcaption>
    </figure>
  );
}
