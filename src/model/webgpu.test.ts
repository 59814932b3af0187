// The same forward pass on tfjs-webgpu (dawn.node + SwiftShader in Node) must agree with cpu.
// Runs in a child process so that the Vulkan environment is set before Dawn loads. Skips only when the
// SwiftShader ICD is not installed; with the ICD present, a missing adapter fails the test.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const here = path.dirname(fileURLToPath(import.meta.url));

describe('webgpu forward pass', () => {
  it.skipIf(!existsSync(ICD))('agrees with cpu to 1e-4 on tiny shapes (SwiftShader)', () => {
    const res = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, 'testing/webgpu-forward.ts')], {
      cwd: path.resolve(here, '../..'),
      // Chromium ships its own libvulkan.so.1 beside the ICD; Dawn loads it from the library path.
      env: { ...process.env, VK_ICD_FILENAMES: ICD, XDG_RUNTIME_DIR: '/tmp', LD_LIBRARY_PATH: [path.dirname(ICD), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') },
      encoding: 'utf8',
      timeout: 240_000,
    });
    const line = res.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
    expect(line, `child produced no result; stderr: ${res.stderr.slice(-2000)}`).toBeDefined();
    const out = JSON.parse(line!);
    expect(out.ok, out.error).toBe(true);
    expect(out.backend).toBe('webgpu');
    expect(out.adapter).toMatch(/\S/);
    expect(out.n).toEqual([3 * 16, 3 * 16, 3 * 16]);
    expect(out.maxAbsDiff).toBeLessThan(1e-4);
    expect(out.leaked).toBe(0);
  }, 300_000);
});
