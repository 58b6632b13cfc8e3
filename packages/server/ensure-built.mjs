// Root `prestart`: bundles the server's TypeScript (and the contract's) into dist/main.mjs, with dist/chunks/ for the parts
// loaded on demand, when a source is newer, so `npm start` runs plain JavaScript: loading ~300 modules through tsx cost
// about 1.3 s of every start.
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
export const SERVER_BUNDLE = join(here, 'dist', 'main.mjs');
const CHUNKS = join(here, 'dist', 'chunks');
/** The workspace packages the bundle takes in (their sources are bundled; their npm dependencies stay external). */
const WORKSPACE_PACKAGES = ['contract', 'sdk', 'wechaty'].map((name) => join(here, '..', name));
const SOURCES = [join(here, 'src'), ...WORKSPACE_PACKAGES.flatMap((dir) => [join(dir, 'src'), join(dir, 'package.json')]), join(here, 'package.json'), join(here, 'ensure-built.mjs')];

/** Newest modification time of the sources (tests excluded: they are not bundled). */
function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return path.endsWith('.test.ts') ? 0 : stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

function stale() {
  try {
    return newest(SOURCES[0]) > statSync(SERVER_BUNDLE).mtimeMs || SOURCES.slice(1).some((p) => newest(p) > statSync(SERVER_BUNDLE).mtimeMs);
  } catch {
    return true;
  }
}

/** Builds the bundle if it is missing or older than a source; answers its path. */
export async function ensureServerBuilt() {
  if (!stale()) return SERVER_BUNDLE;
  const { build } = await import('esbuild');
  // npm packages stay packages (native addons, assets found relative to them, optional requires such as memory-card's
  // etcd3 that esbuild cannot resolve); only our own sources are bundled — the server's and its workspace packages'.
  const manifests = [here, ...WORKSPACE_PACKAGES].map((dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')));
  const external = [...new Set(manifests.flatMap((m) => Object.keys({ ...m.dependencies, ...m.optionalDependencies })))].filter((name) => !name.startsWith('@wxgate/'));
  // Optional parts (the Wechaty bridge, PostgreSQL, Redis, MCP) are imported dynamically and split into chunks that
  // load only when configured or used: wechaty-puppet, file-box and gRPC alone took about a third of every start.
  const { metafile } = await build({
    entryPoints: { main: join(here, 'src', 'main.ts') },
    outdir: join(here, 'dist'),
    outExtension: { '.js': '.mjs' },
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['source'],
    external: [...external, ...external.map((name) => `${name}/*`)],
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
  });
  // Chunks are named by their content's hash: those this build did not write are left from earlier builds.
  const written = new Set(Object.keys(metafile.outputs).map((path) => resolve(path)));
  for (const name of existsSync(CHUNKS) ? readdirSync(CHUNKS) : []) {
    if (!written.has(join(CHUNKS, name))) rmSync(join(CHUNKS, name), { force: true });
  }
  return SERVER_BUNDLE;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await ensureServerBuilt().catch((err) => {
    console.error(`wxgate: building the server failed: ${err.message}`);
    process.exit(1);
  });
}
