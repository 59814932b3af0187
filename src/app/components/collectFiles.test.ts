import { describe, expect, it } from 'vitest';
import { filesFromEntries, type EntryLike } from './collectFiles';

function fileEntry(fullPath: string, content = 'x'): EntryLike {
  const name = fullPath.split('/').pop()!;
  return {
    isFile: true,
    isDirectory: false,
    name,
    fullPath,
    file: (ok) => ok(new File([content], name)),
  };
}

/** A directory whose reader hands out children in batches of `batch`, like Chromium's 100-entry pages. */
function dirEntry(fullPath: string, children: EntryLike[], batch = 2): EntryLike {
  return {
    isFile: false,
    isDirectory: true,
    name: fullPath.split('/').pop()!,
    fullPath,
    createReader() {
      let pos = 0;
      return {
        readEntries(ok) {
          const out = children.slice(pos, pos + batch);
          pos += out.length;
          setTimeout(() => ok(out), 0);
        },
      };
    },
  };
}

describe('filesFromEntries', () => {
  it('recurses into folders, reads every batch and keeps relative paths', async () => {
    const tree = dirEntry('/ptb', [
      fileEntry('/ptb/ptbxl_database.csv'),
      dirEntry('/ptb/records100', [
        dirEntry('/ptb/records100/00000', [
          fileEntry('/ptb/records100/00000/00001_lr.hea'),
          fileEntry('/ptb/records100/00000/00001_lr.dat'),
          fileEntry('/ptb/records100/00000/00002_lr.hea'),
          fileEntry('/ptb/records100/00000/00002_lr.dat'),
          fileEntry('/ptb/records100/00000/00003_lr.hea'),
        ]),
      ]),
    ]);
    const { files, errors } = await filesFromEntries([tree, fileEntry('/loose.png')]);
    expect(errors).toEqual([]);
    expect(files.map((f) => f.path)).toEqual([
      'ptb/ptbxl_database.csv',
      'ptb/records100/00000/00001_lr.dat',
      'ptb/records100/00000/00001_lr.hea',
      'ptb/records100/00000/00002_lr.dat',
      'ptb/records100/00000/00002_lr.hea',
      'ptb/records100/00000/00003_lr.hea',
      'loose.png',
    ]);
    expect(await files[0].file.text()).toBe('x');
  });

  it('lists unreadable entries and keeps the rest', async () => {
    const bad: EntryLike = { ...fileEntry('/d/bad.dat'), file: (_ok, err) => err?.(new Error('permission denied')) };
    const { files, errors } = await filesFromEntries([dirEntry('/d', [bad, fileEntry('/d/good.hea')])]);
    expect(files.map((f) => f.path)).toEqual(['d/good.hea']);
    expect(errors).toEqual(['d/bad.dat: permission denied']);
  });
});
