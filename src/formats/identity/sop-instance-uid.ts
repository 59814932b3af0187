// The DICOM SOP Instance UID, the second identity key of an image: read from the file meta group
// (0002,0003), else from (0008,0018) of the data set, by walking element headers only (no pixels).
import { walkDicom } from '../integrity/dicom-walk';

const UID = /^[0-9.]{1,64}$/;

export function sopInstanceUid(bytes: Uint8Array): string | null {
  let found: string | null = null;
  try {
    const w = walkDicom(bytes, (e) => {
      if (e.depth === 0 && e.group === 0x0008 && e.element === 0x0018 && e.length > 0 && e.length <= 64) {
        let s = '';
        for (let i = 0; i < e.length; i++) s += String.fromCharCode(bytes[e.valueOffset + i]);
        found = s.replace(/[\0 ]+$/, '');
        return false;
      }
      // Elements are sorted: past group 0008 the UID is absent.
      if (e.depth === 0 && e.group > 0x0008) return false;
    });
    const uid = w.metaSopInstanceUid ?? found;
    return uid && UID.test(uid) ? uid : null;
  } catch {
    return found && UID.test(found) ? found : null;
  }
}
