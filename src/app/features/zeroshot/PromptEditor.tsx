// Prompt set editor: class names, the library labels each class stands for, and several templates per
// class (their embeddings are averaged and renormalised). Saved sets live in IndexedDB ("promptSets").
import { useEffect, useState } from 'react';
import type { StoredPromptSet } from '../../../storage/types';
import { deletePromptSet, errorMessage, savePromptSet } from '../../state';

type Draft = StoredPromptSet;

const split = (s: string) => s.split(',').map((x) => x.trim()).filter((x) => x);

export function PromptEditor({ sets, value, onChange }: { sets: StoredPromptSet[]; value: Draft | null; onChange(d: Draft): void }) {
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => setMessage(null), [value?.id]);
  if (!value) return <p className="muted">No prompt sets yet.</p>;
  const setClass = (i: number, patch: Partial<Draft['classes'][number]>) => onChange({ ...value, classes: value.classes.map((c, j) => (j === i ? { ...c, ...patch } : c)) });
  const save = async (asNew: boolean) => {
    const set = asNew ? { ...value, id: `user/${Date.now()}`, name: `${value.name} (copy)` } : value;
    try {
      await savePromptSet(set);
      onChange(set);
      setMessage(`Saved "${set.name}".`);
    } catch (e) {
      setMessage(errorMessage(e));
    }
  };
  return (
    <div className="panel" data-testid="prompt-editor">
      <div className="page__actions">
        <label>
          Prompt set{' '}
          <select value={value.id} onChange={(e) => onChange(sets.find((s) => s.id === e.target.value)!)} data-testid="zeroshot-promptset">
            {sets.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} · {s.modality.toUpperCase()}
              </option>
            ))}
          </select>
        </label>
        <label>
          Name <input value={value.name} onChange={(e) => onChange({ ...value, name: e.target.value })} style={{ width: 280 }} />
        </label>
      </div>
      <table className="count-table">
        <thead>
          <tr>
            <th>class</th>
            <th>library labels (comma-separated)</th>
            <th>templates (one per line; averaged)</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {value.classes.map((c, i) => (
            <tr key={i}>
              <td>
                <input value={c.name} onChange={(e) => setClass(i, { name: e.target.value })} aria-label={`Class ${i + 1} name`} />
              </td>
              <td>
                <input value={(c.labels ?? []).join(', ')} onChange={(e) => setClass(i, { labels: split(e.target.value) })} aria-label={`Class ${i + 1} labels`} />
              </td>
              <td>
                <textarea rows={Math.min(6, Math.max(2, c.templates.length))} cols={60} value={c.templates.join('\n')} onChange={(e) => setClass(i, { templates: e.target.value.split('\n') })} aria-label={`Class ${i + 1} templates`} />
              </td>
              <td>
                <button className="button button--ghost" disabled={value.classes.length <= 2} onClick={() => onChange({ ...value, classes: value.classes.filter((_, j) => j !== i) })}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="page__actions">
        <button className="button button--secondary" onClick={() => onChange({ ...value, classes: [...value.classes, { name: 'New class', templates: ['This shows new class.'], labels: [] }] })}>
          Add class
        </button>
        <button className="button button--secondary" onClick={() => void save(false)}>
          Save
        </button>
        <button className="button button--secondary" onClick={() => void save(true)}>
          Save as copy
        </button>
        {value.id.startsWith('user/') ? (
          <button
            className="button button--ghost"
            onClick={() =>
              deletePromptSet(value.id).then(() => setMessage('Deleted.'), (e) => setMessage(errorMessage(e)))
            }
          >
            Delete
          </button>
        ) : null}
        {message ? <span className="small muted">{message}</span> : null}
      </div>
    </div>
  );
}
