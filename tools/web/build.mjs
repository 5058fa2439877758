// Builds the web page (apps/web) into dist/apps/web: one bundled, minified script with Cytoscape.js
// inside (no CDN: the page works offline), the page and its styles. Run by `npm run build`.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const source = join(root, 'apps', 'web', 'src');
const out = join(root, 'dist', 'apps', 'web');
mkdirSync(out, { recursive: true });
const result = await build({
  entryPoints: [join(source, 'main.ts')],
  outfile: join(out, 'app.js'),
  bundle: true,
  minify: true,
  sourcemap: true,
  format: 'iife',
  target: ['es2022'],
  platform: 'browser',
  legalComments: 'linked',
  metafile: true,
  logLevel: 'warning',
});
for (const file of ['index.html', 'styles.css', 'favicon.svg']) copyFileSync(join(source, file), join(out, file));
const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
console.log(`web: dist/apps/web (app.js and sourcemap ${Math.round(bytes / 1024)} KiB)`);
