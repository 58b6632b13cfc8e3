// Root `prestart`: builds the console when packages/console/dist is missing, so `npm install && npm start` serves it.
// A failed build does not stop the server: /console then answers 503 "console not built".
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const here = new URL('.', import.meta.url).pathname;
if (!existsSync(new URL('dist/index.html', import.meta.url))) {
  console.log('wxgate: building the web console (packages/console/dist is missing)…');
  const result = spawnSync('npm', ['run', 'build'], { cwd: here, stdio: 'inherit' });
  if (result.status !== 0) console.warn('wxgate: the console build failed; the server starts anyway and /console answers 503 until `npm run build` works');
}
