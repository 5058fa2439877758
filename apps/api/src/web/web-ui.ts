import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import express, { type Express, type Request, type Response } from 'express';

/**
 * The web page (apps/web, built into dist/apps/web by `npm run build`): GET / serves it, /ui/* its
 * bundled script and styles. The page itself holds no data: it asks POST /graphql like any client,
 * with the caller's own token, so authentication and roles apply to it unchanged. Served with a
 * strict Content-Security-Policy: scripts, styles, images and connections to this origin only.
 */
export const WEB_UI_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  // Cytoscape sizes its canvases through element styles.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** dist/apps/web of this checkout: found from the package root, whether running from dist or from sources (tests). */
export function webUiDirectory(start = __dirname): string | null {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) {
      const built = join(dir, 'dist', 'apps', 'web');
      return existsSync(join(built, 'index.html')) ? built : null;
    }
    if (dirname(dir) === dir) return null;
  }
}

export function installWebUi(app: Express, directory: string | null = webUiDirectory()): void {
  const headers = (res: Response) => {
    res.setHeader('Content-Security-Policy', WEB_UI_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
  };
  if (directory === null) {
    app.get('/', (_req: Request, res: Response) => {
      res.status(503).type('text').send('The web page is not built: run `npm run build` (it bundles apps/web into dist/apps/web).\n');
    });
    return;
  }
  const assets = express.static(directory, { index: false, fallthrough: false, maxAge: '5m', setHeaders: headers });
  app.use('/ui', (req: Request, res: Response, next) => (req.path === '/index.html' ? res.redirect(301, '/') : assets(req, res, next)));
  app.get('/', (_req: Request, res: Response) => {
    headers(res);
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(join(directory, 'index.html'));
  });
}
