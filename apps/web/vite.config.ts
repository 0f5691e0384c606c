import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `pnpm --filter @shortlist/web dev` serves the app on :5173 and proxies the API to a running
// gateway (npm start), so the browser talks to one origin as it does in production.
const gateway = process.env.SHORTLIST_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  server: { proxy: { '/v1': gateway, '/openapi.json': gateway } },
  build: {
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: true,
    chunkSizeWarningLimit: 600,
  },
});
