import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend } from './backend';

describe('initBackend in Node', () => {
  it("'auto' picks wasm and says why, with the training kernels registered", async () => {
    const r = await initBackend('auto');
    expect(r.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(r.adapter).toBeNull();
    expect(r.reason).toMatch(/Node/);
    expect(tf.getKernel('UnsortedSegmentSum', 'wasm')).toBeDefined();
  });

  it('cpu can be forced', async () => {
    const r = await initBackend('cpu');
    expect(r.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('forcing webgpu without an adapter throws instead of falling back', async () => {
    await expect(initBackend('webgpu')).rejects.toThrow(/WebGPU/);
  });
});
