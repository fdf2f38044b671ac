import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [react()],
  // kusto-spa-auth's default entry carries its wasm inlined (about 400 kB of base64).
  build: { chunkSizeWarningLimit: 1000 },
});
