import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// Built into web/dist and served by the gateway, so the app and its API share one origin (no CORS to open).
export default defineConfig({
  root: __dirname,
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1200 },
  server: { host: "127.0.0.1", proxy: { "/api": "http://127.0.0.1:8787" } },
});
