import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The client lives in client/ and is built into dist/client, which the server serves.
// In development (`npm run dev:client`) the API and WebSockets go to the server on :8080.
export default defineConfig({
  root: 'client',
  plugins: [react()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    proxy: {
      '/api': 'http://localhost:8080',
      '/ws': { target: 'http://localhost:8080', ws: true },
    },
  },
});
