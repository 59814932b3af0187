// Library: bring files into the browser's library (demo set, dropped files and folders) and see what is in it.
import { DropZone } from '../../components/DropZone';
import { addNotice, startDemoLoad, startIngest, useStudio } from '../../state';
import { ClearLibrary } from './ClearLibrary';
import { ImportEmbeddings } from './ImportEmbeddings';
import { IngestStatus } from './IngestStatus';
import { LibraryStatsView } from './LibraryStatsView';

export default function LibraryPage() {
  const running = useStudio((s) => s.ingest.running);
  return (
    <section className="page">
      <div className="page__head">
        <div>
          <h2>Library</h2>
          <p className="muted">
            ECGs and chest X-rays are parsed, embedded and stored in this browser (IndexedDB). Nothing is uploaded.
          </p>
        </div>
        <div className="page__actions">
          <button className="button" data-testid="demo-load" disabled={running} onClick={startDemoLoad}>
            Load demo library
          </button>
          <ImportEmbeddings disabled={running} />
          <ClearLibrary disabled={running} />
        </div>
      </div>

      <DropZone
        inputTestId="library-file-input"
        folderPicker
        disabled={running}
        onFiles={(files, readErrors) => {
          for (const e of readErrors) addNotice('warn', `Not read: ${e}`);
          startIngest(files);
        }}
      >
        <strong>Drop files or whole folders here</strong>
        <span className="small muted">
          WFDB (.hea + .dat, formats 16/212), PhysioNet Challenge (.hea + .mat), PTB-XL and LUDB folders with their CSV
          tables, PNG, JPEG, DICOM, NIH Data_Entry CSV or a labels.csv (path,label) next to image folders.
        </span>
      </DropZone>

      <IngestStatus />
      <LibraryStatsView />
    </section>
  );
}
