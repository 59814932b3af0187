// A drop target for files and whole folders, with file (and optionally folder) pickers for keyboard users.
import { useRef, useState, type DragEvent, type ReactNode } from 'react';
import type { PageFile } from '../../workers/api';
import { filesFromDataTransfer, filesFromInput } from './collectFiles';

interface Props {
  onFiles(files: PageFile[], readErrors: string[]): void;
  /** data-testid of the multi-file input. */
  inputTestId: string;
  /** Adds a "Choose folder" picker (webkitdirectory). */
  folderPicker?: boolean;
  accept?: string;
  disabled?: boolean;
  children?: ReactNode;
}

export function DropZone({ onFiles, inputTestId, folderPicker, accept, disabled, children }: Props) {
  const [over, setOver] = useState(false);
  const [reading, setReading] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const dirInput = useRef<HTMLInputElement>(null);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    if (disabled) return;
    setReading(true);
    filesFromDataTransfer(e.dataTransfer)
      .then(({ files, errors }) => onFiles(files, errors))
      .finally(() => setReading(false));
  };

  const onPicked = (input: HTMLInputElement | null) => {
    if (!input) return;
    const files = filesFromInput(input.files);
    input.value = ''; // picking the same files again fires change again
    if (files.length > 0) onFiles(files, []);
  };

  return (
    <div
      className={`dropzone${over ? ' dropzone--over' : ''}${disabled ? ' dropzone--disabled' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = disabled ? 'none' : 'copy';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <div className="dropzone__text">{reading ? 'Reading dropped files…' : children}</div>
      <div className="dropzone__buttons">
        <label className="button button--secondary">
          Choose files
          <input
            ref={fileInput}
            className="visually-hidden"
            type="file"
            multiple
            accept={accept}
            disabled={disabled}
            data-testid={inputTestId}
            onChange={() => onPicked(fileInput.current)}
          />
        </label>
        {folderPicker && (
          <label className="button button--secondary">
            Choose folder
            <input
              ref={(el) => {
                dirInput.current = el;
                el?.setAttribute('webkitdirectory', '');
              }}
              className="visually-hidden"
              type="file"
              multiple
              disabled={disabled}
              data-testid={`${inputTestId}-folder`}
              onChange={() => onPicked(dirInput.current)}
            />
          </label>
        )}
      </div>
    </div>
  );
}
