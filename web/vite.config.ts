import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The console is served by the service at /console/; `npm run dev` proxies the API to a local service. */
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 400,
  },
  server: {
    proxy: { '/api': { target: process.env.SE3_API ?? 'http://127.0.0.1:9528', changeOrigin: false } },
  },
});
