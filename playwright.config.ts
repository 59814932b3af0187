// End-to-end tests drive the production build (`vite build` + `vite preview`) in Debian's Chromium.
// WebGPU runs on SwiftShader (no GPU needed); models run on wasm by default, which is slow on small
// machines, hence the generous timeouts. One worker: the specs share a 2-core machine with the app's workers.
import { defineConfig } from '@playwright/test';

// E2E_PORT lets a second checkout test next to a running `npm start` (default: vite preview's 4173).
export const APP_PORT = Number(process.env.E2E_PORT ?? 4173);
export const APP_ORIGIN = `http://127.0.0.1:${APP_PORT}`;

export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.spec.ts',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  // Per test; specs that train or load the demo library on wasm raise it with test.setTimeout.
  timeout: 10 * 60_000,
  expect: { timeout: 60_000 },
  outputDir: 'test-results',
  use: {
    baseURL: APP_ORIGIN,
    browserName: 'chromium',
    headless: true,
    actionTimeout: 60_000,
    navigationTimeout: 120_000,
    acceptDownloads: true,
    trace: 'off',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless=new',
        '--no-sandbox',
        '--enable-unsafe-webgpu',
        '--enable-unsafe-swiftshader',
        '--use-angle=swiftshader',
        '--enable-features=Vulkan',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
        '--disable-quic',
      ],
    },
  },
  webServer: {
    command: `npx vite preview --port ${APP_PORT} --strictPort --host 127.0.0.1`,
    url: APP_ORIGIN,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
