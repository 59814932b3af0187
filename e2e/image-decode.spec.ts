// The browser decode path of src/formats/image-decode.ts against the JS decoders, inside a dedicated worker
// of Chromium (Node has no createImageBitmap): 8-bit PNGs give identical luma, JPEGs within one grey level,
// and files the browser path must not take (16-bit, alpha) are left to the JS decoders.
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { encode as encodePng } from 'fast-png';
import { expect, test } from '@playwright/test';
import { SHARED_DATA_DIR } from '../src/formats/testing';

const ORIGIN = 'http://decode.test';

/** The worker script: decodes every posted file on both paths and answers with the plan and the largest difference. */
const HARNESS = `
import { decodeImageAuto, planDecode, browserDecodeAvailable } from './src/formats/image-decode';
self.onmessage = async (e) => {
  const out = [];
  for (const f of e.data) {
    const bytes = new Uint8Array(f.bytes);
    const plan = planDecode(bytes, f.name);
    const js = await decodeImageAuto(bytes, f.name, { decoder: 'js' });
    const auto = await decodeImageAuto(bytes, f.name);
    let maxDiff = -1, identical = false, n = 0;
    if (js.ok && auto.ok && js.value.pixels.length === auto.value.pixels.length) {
      maxDiff = 0; identical = true; n = js.value.pixels.length;
      for (let i = 0; i < n; i++) {
        const d = Math.abs(js.value.pixels[i] - auto.value.pixels[i]);
        if (d > maxDiff) maxDiff = d;
        if (js.value.pixels[i] !== auto.value.pixels[i]) identical = false;
      }
    }
    out.push({ name: f.name, decoder: plan.decoder, ok: js.ok && auto.ok, identical, maxDiff, n, available: browserDecodeAvailable() });
  }
  self.postMessage(out);
};`;

/** An 8-bit grey PNG with a gAMA chunk (gamma 1/2.2) after IHDR: colour management must stay off. */
function withGamma(png: Uint8Array): Uint8Array {
  const body = new Uint8Array([0x67, 0x41, 0x4d, 0x41, 0, 0, 0xb1, 0x8f]); // "gAMA", 45455
  let c = ~0;
  for (const b of body) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  const crc = ~c >>> 0;
  const chunk = new Uint8Array([0, 0, 0, 4, ...body, crc >>> 24, (crc >>> 16) & 255, (crc >>> 8) & 255, crc & 255]);
  const at = 8 + 25; // signature + IHDR chunk
  return new Uint8Array([...png.subarray(0, at), ...chunk, ...png.subarray(at)]);
}

function gradient(width: number, height: number, channels: number, depth: 8 | 16): Uint8Array {
  const max = depth === 16 ? 65535 : 255;
  const data = depth === 16 ? new Uint16Array(width * height * channels) : new Uint8Array(width * height * channels);
  for (let i = 0; i < data.length; i++) data[i] = Math.round(((i * 37) % 251) / 250 * max);
  return encodePng({ width, height, data, depth, channels });
}

test('browser image decoding in a worker matches the JS decoders', async ({ page }) => {
  const files: { name: string; bytes: number[] }[] = [];
  const add = (name: string, bytes: Uint8Array) => files.push({ name, bytes: Array.from(bytes) });
  add('nih grey.png', readFileSync(`${SHARED_DATA_DIR}/nih-cxr14-mini/images/00000032_038.png`));
  add('nih rgb.png', readFileSync(`${SHARED_DATA_DIR}/nih-cxr14-mini/images/00000005_000.png`));
  add('hannover grey.png', readFileSync(`${SHARED_DATA_DIR}/covid19-hannover-cxr/png/262a70ca.png`));
  for (const j of ['IM-0127-0001', 'IM-0143-0001', 'IM-0149-0001']) add(`${j}.jpeg`, readFileSync(`${SHARED_DATA_DIR}/kermany-pediatric-cxr/images/train/NORMAL/${j}.jpeg`));
  const grey = gradient(64, 48, 1, 8);
  add('gamma.png', withGamma(grey));
  add('rgb8.png', gradient(40, 30, 3, 8));
  add('grey16.png', gradient(40, 30, 1, 16));
  add('rgba8.png', gradient(40, 30, 4, 8));

  const bundle = await build({
    stdin: { contents: HARNESS, resolveDir: process.cwd(), loader: 'ts' },
    bundle: true, format: 'iife', platform: 'browser', write: false, logLevel: 'silent',
  });
  const workerJs = bundle.outputFiles[0].text;
  await page.route(`${ORIGIN}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/worker.js') return route.fulfill({ contentType: 'text/javascript', body: workerJs });
    return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>decode</title>' });
  });
  await page.goto(`${ORIGIN}/`);
  const results = await page.evaluate(
    (fs) =>
      new Promise<{ name: string; decoder: string; ok: boolean; identical: boolean; maxDiff: number; n: number; available: boolean }[]>((resolve, reject) => {
        const w = new Worker('/worker.js');
        w.onmessage = (e) => resolve(e.data);
        w.onerror = (e) => reject(new Error(e.message));
        w.postMessage(fs);
      }),
    files,
  );
  const by = Object.fromEntries(results.map((r) => [r.name, r]));
  for (const r of results) {
    expect(r.available, 'createImageBitmap and OffscreenCanvas in the worker').toBe(true);
    expect(r.ok, `${r.name} decodes on both paths`).toBe(true);
    expect(r.n, `${r.name} has pixels`).toBeGreaterThan(0);
  }
  for (const name of ['nih grey.png', 'nih rgb.png', 'hannover grey.png', 'gamma.png', 'rgb8.png']) {
    expect(by[name].decoder, name).toBe('browser');
    expect(by[name].identical, `${name}: identical luma (max difference ${by[name].maxDiff})`).toBe(true);
  }
  for (const name of ['IM-0127-0001.jpeg', 'IM-0143-0001.jpeg', 'IM-0149-0001.jpeg']) {
    expect(by[name].decoder, name).toBe('browser');
    expect(by[name].maxDiff * 255, `${name}: within one grey level`).toBeLessThanOrEqual(1 + 1e-3);
  }
  // Left to the JS decoders: the same pixels by construction.
  expect(by['grey16.png'].decoder).toBe('js');
  expect(by['rgba8.png'].decoder).toBe('js');
  expect(by['grey16.png'].identical && by['rgba8.png'].identical).toBe(true);
});
