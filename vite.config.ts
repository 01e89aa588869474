import { defineConfig } from 'vite'
import solid from 'vite-plugin-solid'
import { VitePWA } from 'vite-plugin-pwa'
import { inlineBootScript } from './build/inlineBootScript'

// The relay (server/) serves dist/ in production; in `npm run dev` Vite proxies the relay's
// HTTP API and websocket so the app talks to one origin either way.
const relay = process.env.KANSO_DEV_RELAY ?? 'http://localhost:8787'

export default defineConfig({
  plugins: [
    solid(),
    // the boot read runs during HTML parsing, before the app's bundle loads (docs/ARCHITECTURE.md)
    inlineBootScript(),
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: null,
      manifest: {
        name: 'Kanso CRM',
        short_name: 'Kanso',
        start_url: '/',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#1f4e79',
        // PNGs: Chromium fetches a manifest icon while the page opens, and to draw an SVG it
        // builds a whole SVG document on the page's thread (~30–40 ms before the first rows)
        icons: [
          { src: '/kanso-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/kanso-512.png', sizes: '512x512', type: 'image/png' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,woff2}'],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/sync\//, /^\/healthz/],
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        clientsClaim: true,
        skipWaiting: true,
      },
    }),
  ],
  server: {
    proxy: {
      '/api': relay,
      '/healthz': relay,
      '/sync': { target: relay.replace(/^http/, 'ws'), ws: true },
    },
  },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    rollupOptions: {
      output: {
        // AG Grid (~0.8 MB) in a chunk of its own, parsed beside the app's code on the other core
        codeSplitting: { groups: [{ name: 'ag-grid', test: /node_modules[\\/]ag-(grid-community|stack)[\\/]/ }] },
      },
    },
  },
})
