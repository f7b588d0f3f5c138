import { defineConfig } from 'vite';

// The build goes into the server's wwwroot, so `dotnet run --project src/CollabCanvas.Server` serves it.
// `npm run dev` serves the editor with hot reload and forwards the API and WebSocket to a running server.
export default defineConfig({
  build: {
    outDir: '../src/CollabCanvas.Server/wwwroot',
    emptyOutDir: true,
  },
  server: {
    proxy: {
      '/api': 'http://localhost:5000',
      '/ws': { target: 'ws://localhost:5000', ws: true },
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
  },
});
