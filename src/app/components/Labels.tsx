// Label chips for an item's findings.
export function Labels({ labels }: { labels: string[] }) {
  if (labels.length === 0) return <span className="muted small">no labels</span>;
  return (
    <span className="chips">
      {labels.map((l) => (
        <span key={l} className="chip">
          {l}
        </span>
      ))}
    </span>
  );
}
