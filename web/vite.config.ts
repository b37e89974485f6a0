import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The web app, built into web/dist and served by the API process at `/` (server/src/plugins/useRoutes.ts).
export default defineConfig({
  root: __dirname,
  base: "/",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    reportCompressedSize: true,
    chunkSizeWarningLimit: 600,
  },
});
