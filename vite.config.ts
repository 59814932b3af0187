// Vite build for the SPA. Production responses (vite preview) carry a CSP that keeps every request on
// the app's own origin; workers get the same header on their own responses.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export const CSP = [
  "default-src 'self'",
  // blob: lets the threaded wasm backend's helper threads load the module script the app hands them.
  "script-src 'self' blob: 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' blob: data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
].join('; ');

const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'X-Content-Type-Options': 'nosniff',
};
const securityHeaders = { 'Content-Security-Policy': CSP, ...isolationHeaders };

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 8000 },
  preview: { port: 4173, strictPort: true, headers: securityHeaders },
  // The dev server injects an inline React-refresh script and talks HMR over a websocket, which this CSP
  // forbids: `npm run dev` is for development only; the build and `vite preview` carry the full policy.
  server: { headers: isolationHeaders },
});
