import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `base: "./"`: the built files work wherever they are mounted (the API serves them under
// /storefront/ for `make run`; any static host works too).
// `npm run dev` proxies the API (HTTP and websockets) of `make run` on port 8000.
const api = process.env.PRESSROOM_API ?? "http://127.0.0.1:8000";

export default defineConfig({
  base: "./",
  plugins: [react()],
  server: {
    port: 5173,
    proxy: { "/graphql": { target: api, ws: true, changeOrigin: true } },
  },
  build: { target: "es2022", sourcemap: true },
});
