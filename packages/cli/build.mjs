// Bundles the CLI into dist/wxgate.js: wxgate's own workspace sources inlined (their `source` condition), npm packages left external.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { build } from 'esbuild';

const here = new URL('.', import.meta.url).pathname;

/** Workspace packages ship TypeScript sources, so they are compiled in; real npm packages resolve from node_modules at run time. */
const externalNpmPackages = {
  name: 'external-npm-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@wxgate/') || args.path.startsWith('node:')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

const result = await build({
  entryPoints: [`${here}src/main.ts`],
  outfile: `${here}dist/wxgate.js`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['source'],
  sourcemap: 'linked',
  plugins: [externalNpmPackages],
  logLevel: 'warning',
  write: false,
});

// Write-then-rename: test files build in parallel while others run the binary, which must never see a half-written file.
for (const file of result.outputFiles) {
  mkdirSync(dirname(file.path), { recursive: true });
  const tmp = `${file.path}.${process.pid}.tmp`;
  writeFileSync(tmp, file.contents);
  renameSync(tmp, file.path);
}
