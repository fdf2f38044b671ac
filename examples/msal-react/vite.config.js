import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [react()],
  // The switch: every import of @azure/msal-browser, the app's and msal-react's, gets
  // kusto-spa-auth, so msal-react's instanceof checks see its classes.
  resolve: { alias: { "@azure/msal-browser": "kusto-spa-auth" } },
  // kusto-spa-auth's default entry carries its sign-in wasm inlined (about 250 kB).
  build: { chunkSizeWarningLimit: 1000 },
});
