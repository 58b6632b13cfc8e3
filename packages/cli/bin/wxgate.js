#!/usr/bin/env node
// Launcher for the CLI: runs dist/wxgate.js, bundling it first when this checkout has not built it yet (not committed).
import { existsSync } from 'node:fs';

const dist = new URL('../dist/wxgate.js', import.meta.url);
if (!existsSync(dist)) {
  try {
    await import(new URL('../build.mjs', import.meta.url).href);
  } catch (err) {
    process.stderr.write(`wxgate: the CLI is not built and building it failed (${err instanceof Error ? err.message : err}); run \`npm run build\`\n`);
    process.exit(1);
  }
}
await import(dist.href);
