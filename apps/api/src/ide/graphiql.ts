import { dirname, join } from 'node:path';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';

/**
 * GraphiQL served from node_modules: the IDE works offline, no CDN. GET /graphql from a browser
 * gets the page; every other request goes on to the GraphQL server.
 */
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));
const ASSETS: Record<string, string> = {
  'react.js': join(packageDir('react'), 'umd/react.production.min.js'),
  'react-dom.js': join(packageDir('react-dom'), 'umd/react-dom.production.min.js'),
  'graphiql.js': join(packageDir('graphiql'), 'graphiql.min.js'),
  'graphiql.css': join(packageDir('graphiql'), 'graphiql.min.css'),
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>Catalyst GraphQL</title>
  <link rel="stylesheet" href="/ide/graphiql.css" />
  <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="graphiql">Loading the GraphQL IDE...</div>
  <script src="/ide/react.js"></script>
  <script src="/ide/react-dom.js"></script>
  <script src="/ide/graphiql.js"></script>
  <script>
    const fetcher = GraphiQL.createFetcher({ url: '/graphql' });
    const defaultQuery = [
      '# Catalyst: the org in theory against the org in practice.',
      '# Mutations return a position; send it as the X-Min-Position header (Headers tab) to read your write.',
      '',
      '{',
      '  projection { position headPosition lag lastError { message } }',
      '}',
      '',
    ].join('\n');
    ReactDOM.createRoot(document.getElementById('graphiql')).render(
      React.createElement(GraphiQL, { fetcher, defaultQuery, defaultEditorToolsVisibility: true }),
    );
  </script>
</body>
</html>`;

export function installGraphiql(app: Express): void {
  const router = express.Router();
  for (const [name, file] of Object.entries(ASSETS)) {
    router.get(`/ide/${name}`, (_req, res) => res.sendFile(file, { maxAge: '1h' }));
  }
  router.get('/graphql', (req: Request, res: Response, next: NextFunction) => {
    if (req.query.query === undefined && req.accepts(['json', 'html']) === 'html') {
      res.type('html').send(PAGE);
      return;
    }
    next();
  });
  app.use(router);
}
