// Vite build of the console: Preact via esbuild's automatic JSX, the SDK bundled from its TypeScript source.
import { defineConfig } from 'vite';

export default defineConfig({
  // wxgate serves the build at /console/ (packages/server/src/transport/console.ts).
  base: '/console/',
  // `source` first: @wxgate/sdk's package.json maps it to src/*.ts, so no SDK build is needed before this one.
  resolve: { conditions: ['source', 'browser', 'module', 'import', 'default'] },
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false },
});
