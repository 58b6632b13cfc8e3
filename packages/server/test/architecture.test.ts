// The layering in docs/architecture.md, enforced: which folders may import which.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const packages = new URL('../../', import.meta.url).pathname;
const serverSrc = join(packages, 'server/src');
const contractSrc = join(packages, 'contract/src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1]!);
}

/** The layer of a server source file: its first folder under src/ (or the file name for top-level files). */
const layerOf = (file: string) => relative(serverSrc, file).split('/')[0]!.replace(/\.ts$/, '');

/** layer → the layers it may import (besides itself, the contract and packages). */
const ALLOWED: Record<string, string[]> = {
  main: ['app', 'config', 'core'],
  app: ['cluster', 'config', 'core', 'delivery', 'driver', 'handlers', 'http', 'ops', 'storage', 'transport', 'wechat'],
  cluster: ['core'],
  config: [],
  ops: ['storage', 'transport'],
  transport: ['handlers', 'core', 'delivery', 'storage', 'wechat'],
  handlers: ['core', 'delivery', 'driver', 'storage', 'config', 'wechat'],
  delivery: ['core', 'http', 'storage', 'wechat'],
  core: ['driver', 'http', 'storage', 'wechat'],
  driver: ['http', 'storage', 'wechat'],
  http: [],
  storage: [],
  wechat: [],
};

test('server layers import only what docs/architecture.md allows', () => {
  const violations: string[] = [];
  for (const file of sources(serverSrc)) {
    const from = layerOf(file);
    const allowed = ALLOWED[from];
    assert.ok(allowed, `${relative(packages, file)} is in an undeclared layer "${from}"`);
    for (const spec of imports(file).filter((s) => s.startsWith('.'))) {
      const target = resolve(dirname(file), spec);
      if (!target.startsWith(serverSrc)) {
        violations.push(`${relative(packages, file)} reaches outside src: ${spec}`);
        continue;
      }
      const to = layerOf(target);
      if (to !== from && !allowed.includes(to)) violations.push(`${relative(packages, file)} (${from}) imports ${spec} (${to})`);
    }
  }
  assert.deepEqual(violations, []);
});

test('the contract imports nothing of ours but itself', () => {
  for (const file of sources(contractSrc)) {
    for (const spec of imports(file)) {
      assert.ok(spec.startsWith('.') || spec.startsWith('@sinclair/typebox'), `${relative(packages, file)} imports ${spec}`);
    }
  }
});
