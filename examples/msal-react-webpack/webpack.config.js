export default {
  mode: "production",
  // The page comes along as a plain file next to the bundle, so no HTML plugin is needed.
  entry: ["./src/main.js", "./src/index.html"],
  module: {
    rules: [{ test: /\.html$/, type: "asset/resource", generator: { filename: "[name][ext]" } }],
  },
  // The switch: every import of @azure/msal-browser, the app's and msal-react's, gets
  // kusto-spa-auth, so msal-react's instanceof checks see its classes.
  resolve: { alias: { "@azure/msal-browser": "kusto-spa-auth" } },
  devtool: "source-map",
  // kusto-spa-auth's default entry carries its sign-in wasm inlined (about 400 kB of base64).
  performance: { maxEntrypointSize: 1_000_000, maxAssetSize: 1_000_000 },
};
