import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The web app (staff client and patron catalog). `npm run dev:web` serves it with hot reload and
// sends /api to a Tamarack server on port 3000 (`npm start`); `tamarack serve` serves the build.
export default defineConfig({
  root: fileURLToPath(new URL('./web', import.meta.url)),
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1000 },
  server: { proxy: { '/api': { target: process.env.TAMARACK_API ?? 'http://localhost:3000', changeOrigin: false } } },
});
