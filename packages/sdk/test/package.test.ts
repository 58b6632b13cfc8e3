// The package as npm publishes it: its manifest (version = the root's, ESM, typed entry points) and what the built
// files import at runtime — nothing but relative files and the dependencies package.json declares.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const sdkDir = fileURLToPath(new URL('..', import.meta.url));
const rootDir = fileURLToPath(new URL('../../..', import.meta.url));
const tsc = join(rootDir, 'node_modules', 'typescript', 'bin', 'tsc');

interface ExportEntry { source?: string; types?: string; default?: string; [condition: string]: string | undefined }
interface Manifest {
  name: string;
  version: string;
  type?: string;
  license?: string;
  description?: string;
  keywords?: string[];
  engines?: { node?: string };
  types?: string;
  files?: string[];
  main?: string;
  exports: Record<string, ExportEntry>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const manifest = readJson<Manifest>(join(sdkDir, 'package.json'));

/** `fast-xml-parser/src/x.js` → `fast-xml-parser`, `@scope/pkg/sub` → `@scope/pkg`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** Every module specifier a file names: static imports and re-exports, `import()`, and `import('x')` types. */
function specifiersOf(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('the SDK package manifest', () => {
  test('its version is the root package.json version (bump both together)', () => {
    const root = readJson<{ version: string }>(join(rootDir, 'package.json'));
    assert.equal(manifest.version, root.version, 'packages/sdk/package.json version differs from the root package.json');
  });

  test('ESM only, with the fields a registry page needs', () => {
    assert.equal(manifest.type, 'module');
    assert.equal(manifest.main, undefined, 'a CommonJS-era main entry');
    assert.equal(manifest.license, 'MIT');
    assert.ok(manifest.description && manifest.description.length > 20);
    assert.ok((manifest.keywords ?? []).includes('wechat'));
    assert.match(manifest.engines?.node ?? '', /^>=\d+/);
    assert.deepEqual(manifest.files, ['dist', 'README.md', 'README.zh-CN.md']);
    for (const file of ['README.md', 'README.zh-CN.md', 'LICENSE']) assert.ok(existsSync(join(sdkDir, file)), `${file} is missing`);
    assert.equal(manifest.types, manifest.exports['.']?.types);
  });

  test('every entry point has types first and built JavaScript, from a source file that exists', () => {
    const entries = Object.entries(manifest.exports);
    assert.ok(entries.length >= 3);
    for (const [name, entry] of entries) {
      if (name === './package.json') continue;
      assert.ok(entry.source && existsSync(join(sdkDir, entry.source)), `${name}: source ${entry.source}`);
      const base = entry.source.replace(/^\.\/src\//, './dist/').replace(/\.ts$/, '');
      assert.equal(entry.types, `${base}.d.ts`, `${name}: types`);
      assert.equal(entry.default, `${base}.js`, `${name}: default`);
      assert.equal(entry.require, undefined, `${name}: a require condition in an ESM-only package`);
      // Resolution takes the first matching condition: types must come before default.
      const conditions = Object.keys(entry);
      assert.ok(conditions.indexOf('types') < conditions.indexOf('default'), `${name}: types after default`);
    }
  });

  test('the import scanner sees static, re-exported, dynamic and type imports', () => {
    const found = specifiersOf([
      "import { a } from './a.js';",
      "export * from 'fast-xml-parser';",
      "const m = await import('node:fs');",
      "export type X = import('@scope/pkg/sub').Y;",
    ].join('\n'));
    assert.deepEqual(found, ['./a.js', 'fast-xml-parser', 'node:fs', '@scope/pkg/sub']);
    assert.equal(packageOf('@scope/pkg/sub'), '@scope/pkg');
    assert.equal(packageOf('fast-xml-parser/src/x.js'), 'fast-xml-parser');
  });
});

describe('the built files', () => {
  let outDir: string;
  before(() => {
    // Its own output directory, so this never races the pack test's dist/.
    outDir = mkdtempSync(join(tmpdir(), 'wxgate-sdk-build-'));
    const build = spawnSync(process.execPath, [tsc, '-p', join(sdkDir, 'tsconfig.build.json'), '--outDir', outDir], { encoding: 'utf8' });
    assert.equal(build.status, 0, build.stdout + build.stderr);
  });
  after(() => rmSync(outDir, { recursive: true, force: true }));

  test('import only relative files and declared dependencies (no dev-only, node-only or workspace modules)', () => {
    const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
    const files = filesUnder(outDir).filter((f) => f.endsWith('.js') || f.endsWith('.d.ts'));
    assert.ok(files.some((f) => f.endsWith('index.js')) && files.some((f) => f.endsWith('index.d.ts')), files.join());
    assert.ok(!files.some((f) => f.endsWith('.test.js')), 'tests are built into the package');
    const undeclared: string[] = [];
    let bare = 0;
    for (const file of files) {
      for (const specifier of specifiersOf(readFileSync(file, 'utf8'))) {
        if (specifier.startsWith('./') || specifier.startsWith('../')) {
          // Declarations may name a sibling by its .ts source (TypeScript resolves it to the .d.ts); JavaScript may not.
          const declaration = file.endsWith('.d.ts') && specifier.endsWith('.ts');
          const target = join(file, '..', declaration ? specifier.replace(/\.ts$/, '.d.ts') : specifier);
          assert.ok(existsSync(target), `${relative(outDir, file)} imports ${specifier}, which was not built`);
          continue;
        }
        bare++;
        if (!declared.has(packageOf(specifier))) undeclared.push(`${relative(outDir, file)}: ${specifier}`);
      }
    }
    assert.deepEqual(undeclared, [], 'the built files import modules package.json does not declare');
    assert.ok(bare > 0, 'the scan found no package imports at all (fast-xml-parser is one)');
  });

  test('every exports entry resolves to a built file', () => {
    for (const [name, entry] of Object.entries(manifest.exports)) {
      if (name === './package.json') continue;
      for (const target of [entry.types, entry.default]) {
        assert.ok(target && existsSync(join(outDir, target.replace(/^\.\/dist\//, ''))), `${name}: ${target} is not built`);
      }
    }
  });
});
