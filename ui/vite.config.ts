// Vite builds the UI into dist/ with every URL under /ui/ (hastewatch serves dist at
// /ui/, src/api/ui.cc). `vite` (dev) and `vite preview` proxy the API to a running
// hastewatch: HASTEWATCH_URL, default the example config's http://127.0.0.1:9190.
import { defineConfig } from "vitest/config";

const target = process.env.HASTEWATCH_URL ?? "http://127.0.0.1:9190";
const proxy = Object.fromEntries(
  ["/api", "/health", "/runbooks"].map((p) => [p, { target, changeOrigin: false }]),
);

export default defineConfig({
  base: "/ui/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    reportCompressedSize: true,
  },
  server: { proxy },
  preview: { proxy },
  test: { include: ["src/**/*.test.ts"], environment: "node" },
});
