// Device-loss watching for every worker that runs tfjs: on WebGPU a lost device never fails the pending
// kernels, it only resolves `device.lost`; the worker reports it so the client replaces the worker and
// settles (or re-runs) its calls instead of waiting forever.
import * as tf from '@tensorflow/tfjs';

/** Calls `onLost` when the active WebGPU backend's device is lost (not when we destroy it ourselves). */
export function watchDeviceLoss(onLost: (reason: string) => void): void {
  const device = (tf.backend() as unknown as { device?: { lost?: Promise<{ reason?: string; message?: string }> } }).device;
  void device?.lost?.then((info) => {
    // 'destroyed' is our own teardown, not a loss.
    if (info?.reason === 'destroyed') return;
    onLost(info?.message || info?.reason || 'unknown reason');
  });
}
