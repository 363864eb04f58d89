import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerResponse } from 'node:http';

/** Docs pages and their assets come from npm packages and are served by the API itself: no CDN. */
function packageDir(name: string): string {
  return dirname(fileURLToPath(import.meta.resolve(`${name}/package.json`)));
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

interface Asset {
  readonly file: string;
  readonly type: string;
  body?: Buffer;
}

const swagger = packageDir('swagger-ui-dist');
const ASSETS: Record<string, Asset> = {
  '/docs/assets/swagger-ui.css': { file: join(swagger, 'swagger-ui.css'), type: 'text/css; charset=utf-8' },
  '/docs/assets/swagger-ui-bundle.js': { file: join(swagger, 'swagger-ui-bundle.js'), type: 'text/javascript; charset=utf-8' },
  '/docs/assets/favicon-32x32.png': { file: join(swagger, 'favicon-32x32.png'), type: 'image/png' },
  '/redoc/assets/redoc.standalone.js': {
    file: join(packageDir('redoc'), 'bundles', 'redoc.standalone.js'),
    type: 'text/javascript; charset=utf-8',
  },
};

// Swagger UI's start-up lives in a file of its own so the page needs no inline script.
const SWAGGER_INIT = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  persistAuthorization: true,
});`;

// Swagger UI's password-flow dialog always asks for a client_id, a client_secret and where to send
// them; no option hides them (swagger-ui#4448). This API has no OAuth2 clients: the dialog keeps
// username and password (the security scheme's description says username is the email).
const SWAGGER_CSS = '.auth-container .wrapper:has(> label[for="password_type"], > label[for^="client_id_"], > label[for^="client_secret_"]) { display: none; }';

// Images only from the API itself. ReDoc 2.x always renders a sidebar logo from https://cdn.redoc.ly
// (no option turns it off); this keeps the browser from fetching it, and ReDoc then hides the image.
const DOCS_CSP = "img-src 'self' data:";

function page(title: string, head: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
${head}
</head>
<body>
${body}
</body>
</html>`;
}

export function createDocsRoutes(projectName: string) {
  const pages: Record<string, string> = {
    '/docs': page(
      `${projectName} – API docs`,
      `<link rel="stylesheet" href="/docs/assets/swagger-ui.css">\n<style>${SWAGGER_CSS}</style>`,
      '<div id="swagger-ui"></div>\n<script src="/docs/assets/swagger-ui-bundle.js"></script>\n<script src="/docs/assets/init.js"></script>',
    ),
    '/redoc': page(
      `${projectName} – API reference`,
      '<style>body { margin: 0; padding: 0; }</style>',
      '<redoc spec-url="/openapi.json"></redoc>\n<script src="/redoc/assets/redoc.standalone.js"></script>',
    ),
  };

  /** Answers a docs URL, or returns false when the path is not one of ours. */
  return function serveDocs(path: string, res: ServerResponse): boolean {
    const html = pages[path];
    if (html) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', 'content-security-policy': DOCS_CSP });
      res.end(html);
      return true;
    }
    if (path === '/docs/assets/init.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=3600' });
      res.end(SWAGGER_INIT);
      return true;
    }
    const asset = ASSETS[path];
    if (!asset) return false;
    asset.body ??= readFileSync(asset.file);
    res.writeHead(200, { 'content-type': asset.type, 'content-length': asset.body.length, 'cache-control': 'public, max-age=86400' });
    res.end(asset.body);
    return true;
  };
}
