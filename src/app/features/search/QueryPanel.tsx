// The query inputs: a drop zone / file picker for one CXR or one ECG record, and a free-text box.
import { useState } from 'react';
import { DropZone } from '../../components/DropZone';
import { addNotice, searchByFiles, searchByText } from '../../state';

const K_CHOICES = [5, 10, 20, 50];

export function QueryPanel({ k, onK, busy }: { k: number; onK(k: number): void; busy: boolean }) {
  const [text, setText] = useState('');
  return (
    <div className="query-panel">
      <DropZone
        inputTestId="query-file-input"
        onFiles={(files, readErrors) => {
          for (const e of readErrors) addNotice('warn', `Not read: ${e}`);
          if (files.length > 0) void searchByFiles(files, k);
        }}
      >
        <strong>Drop a query</strong>
        <span className="small muted">
          A chest X-ray (PNG, JPEG or DICOM), or an ECG record: the .hea together with its .dat or .mat.
        </span>
      </DropZone>
      <form
        className="text-query"
        onSubmit={(e) => {
          e.preventDefault();
          const q = text.trim();
          if (q) void searchByText(q, k);
        }}
      >
        <label htmlFor="query-text" className="small muted">
          Or describe the findings
        </label>
        <textarea
          id="query-text"
          data-testid="query-text"
          rows={3}
          placeholder="e.g. sinus rhythm with left bundle branch block; cardiomegaly with pleural effusion"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              e.currentTarget.form?.requestSubmit();
            }
          }}
        />
        <div className="text-query__row">
          <label className="small">
            Results per kind{' '}
            <select value={k} onChange={(e) => onK(Number(e.target.value))} data-testid="query-k">
              {K_CHOICES.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
          <button className="button" type="submit" data-testid="query-submit" disabled={!text.trim()}>
            {busy ? 'Searching…' : 'Search'}
          </button>
        </div>
      </form>
    </div>
  );
}
