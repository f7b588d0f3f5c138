import { defineConfig } from 'vite';

// The build goes into the server's wwwroot, so `dotnet run --project src/CollabCanvas.Server` serves it.
// `npm run dev` serves the editor with hot reload and forwards the API and WebSocket to a running server.
export default defineConfig({
  build: {
    outDir: '../src/CollabCanvas.Server/wwwroot',
    emptyOutDir: true,
    // Every asset as a file of its own, none inlined as a data: URL: the Content-Security-Policy (default-src 'self')
    // refuses data: fonts, and the fonts' small subsets would otherwise be inlined.
    assetsInlineLimit: 0,
  },
  server: {
    proxy: {
      '/api': 'http://localhost:5000',
      '/ws': { target: 'ws://localhost:5000', ws: true },
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    // The tests run on fake timers, so nothing in them waits on the clock; the ceiling only has to outlast a slow,
    // loaded machine (the random-history test takes seconds there, against vitest's default of 5).
    testTimeout: 60_000,
  },
});
