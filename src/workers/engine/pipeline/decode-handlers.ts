// Worker side of the decode workers: rebuilds each file from its Blob (ranges read by Blob.slice, so a
// long recording is never loaded whole), prepares the item and hands the buffers back by transfer.
import type { InputFile } from '../../../formats/types';
import { withTransfer, type Transfer } from '../../protocol';
import type { Handlers } from '../../rpc-worker';
import type { FormatDeps } from '../deps';
import type { DecodeMethods, DecodeResult, WireFile } from './decode-methods';
import { prepareInput } from './prepare-input';

const fromWire = (f: WireFile): InputFile => ({
  path: f.path,
  sizeBytes: f.sizeBytes,
  read: async () => new Uint8Array(await f.blob.arrayBuffer()),
  readRange: async (start, end) => new Uint8Array(await f.blob.slice(start, end).arrayBuffer()),
});

export function decodeHandlers(deps: Omit<FormatDeps, 'discoverDatasets'>): Handlers<DecodeMethods> {
  return {
    async prepare(wire): Promise<Transfer<DecodeResult>> {
      const item = { ...wire, files: wire.files.map(fromWire) };
      const outcome = await prepareInput(deps, item);
      const buffers: ArrayBuffer[] = [];
      if (!('error' in outcome)) {
        buffers.push(outcome.input.buffer as ArrayBuffer);
        if (outcome.modality === 'ecg') for (const l of outcome.leads) buffers.push(l.buffer as ArrayBuffer);
      }
      // A buffer shared by two arrays must be listed once.
      return withTransfer({ outcome, meta: item.meta }, [...new Set(buffers)]);
    },
  };
}
