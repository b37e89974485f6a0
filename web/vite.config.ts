import fs from "node:fs";
import { createRequire } from "node:module";
import { defineConfig, type Plugin } from "vite";
import react from "@vitejs/plugin-react";
import { buildWorldMap, type SourceMap } from "./scripts/world-map";

/**
 * `virtual:world-map`: the country outlines of @svg-maps/world (pinned), simplified at build time
 * (web/scripts/world-map.ts explains the choice). Only the lazily loaded TerritoryMap imports it,
 * so it lands in that chunk, never in the first load.
 */
function worldMap(): Plugin {
  const id = "virtual:world-map";
  return {
    name: "tantieme-world-map",
    resolveId: (source) => (source === id ? "\0" + id : null),
    load(resolved) {
      if (resolved !== "\0" + id) return null;
      const file = createRequire(__filename).resolve("@svg-maps/world");
      this.addWatchFile(file);
      // The package's index.js is one `export default {…}` of plain JSON.
      const text = fs.readFileSync(file, "utf8").trim().replace(/^export default\s*/, "").replace(/;$/, "");
      const map = buildWorldMap(JSON.parse(text) as SourceMap, { tolerance: 0.8, dotBelow: 4 });
      return `export default ${JSON.stringify(map)};`;
    },
  };
}

// The web app, built into web/dist and served by the API process at `/` (server/src/plugins/useRoutes.ts).
export default defineConfig({
  root: __dirname,
  base: "/",
  plugins: [react(), worldMap()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    reportCompressedSize: true,
    chunkSizeWarningLimit: 600,
  },
});
