// Vite build for the SPA. Production responses (vite preview) carry a CSP that keeps every request on
// the app's own origin; workers get the same header on their own responses.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' blob: data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
].join('; ');

const securityHeaders = {
  'Content-Security-Policy': CSP,
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'X-Content-Type-Options': 'nosniff',
};

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 8000 },
  preview: { port: 4173, strictPort: true, headers: securityHeaders },
  server: { headers: securityHeaders },
});
