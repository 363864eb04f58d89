import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '@appointments/testkit/api';
import { createServer } from '../server.ts';
import { parseEnv } from '../env.ts';

/**
 * The docs pages rendered by a real browser (Debian's chromium; install it with scripts/ensure-chromium.sh).
 * Proves that Swagger UI and ReDoc render the API's operations from assets the API serves itself:
 * every request to a host other than the API is blocked and recorded, and the list must stay empty.
 *
 * The browser reaches the API under a made-up host name mapped to 127.0.0.1, not as localhost/127.0.0.1,
 * because docs UIs may behave differently there (Swagger UI's online-validator badge, which loads an image
 * from validator.swagger.io, is never shown for a spec on localhost); a production-like name makes the pages
 * behave as they would when deployed.
 *
 * Screenshots go to $DOCS_SCREENSHOT_DIR when set (kept, for a look by eye or as CI artifacts),
 * otherwise to a temporary directory removed afterwards.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const DOCS_HOST = 'docs.appointments.test';
const PAGE_TIMEOUT_MS = 30_000;

let t: TestApi;
/** The API's base URL as the browser sees it: http://DOCS_HOST:port. */
let origin: string;
let browser: Browser;
let shotDir: string;
const keepShots = Boolean(process.env.DOCS_SCREENSHOT_DIR);

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: run scripts/ensure-chromium.sh (or set CHROMIUM_PATH)`);
  t = await startTestApi({ createServer, parseEnv }, 'sqlite');
  origin = `http://${DOCS_HOST}:${new URL(t.url).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
      // DOCS_HOST resolves to the test API; every other name fails to resolve, should anything slip past route().
      `--host-resolver-rules=MAP ${DOCS_HOST} 127.0.0.1, MAP * ~NOTFOUND`,
    ],
  });
  if (keepShots) {
    shotDir = process.env.DOCS_SCREENSHOT_DIR!;
    await mkdir(shotDir, { recursive: true });
  } else {
    shotDir = await mkdtemp(join(tmpdir(), 'docs-screenshots-'));
  }
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
  if (shotDir && !keepShots) await rm(shotDir, { recursive: true, force: true });
}, 30_000);

interface Visit {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Requests to anything but the API's own host, each blocked. */
  readonly external: string[];
  /** Uncaught page errors and console messages of type error. */
  readonly errors: string[];
  /** Responses from the API itself with status >= 400 (a missing asset, say). */
  readonly failedResponses: string[];
}

/** A fresh browser context on `path`, with every non-local request blocked and recorded. */
async function visit(path: string): Promise<Visit> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
  const external: string[] = [];
  const errors: string[] = [];
  const failedResponses: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.origin === origin) return route.continue();
    external.push(url.href);
    return route.abort('blockedbyclient');
  });
  // WebSockets are not covered by route(); none are expected, so any at all is recorded.
  await context.routeWebSocket(/.*/, (ws) => {
    external.push(ws.url());
    return ws.close();
  });
  const page = await context.newPage();
  page.setDefaultTimeout(PAGE_TIMEOUT_MS);
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) failedResponses.push(`${response.status()} ${response.url()}`);
  });
  const response = await page.goto(`${origin}${path}`, { waitUntil: 'load' });
  expect(response?.status()).toBe(200);
  expect(response?.headers()['content-security-policy']).toBe("img-src 'self' data:");
  return { context, page, external, errors, failedResponses };
}

/** Screenshots the page and checks it is a real PNG of some substance (a blank page compresses to a few KB). */
async function screenshot(page: Page, name: string): Promise<void> {
  const file = join(shotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  const png = await readFile(file);
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(png.length).toBeGreaterThan(30_000);
}

function expectClean(v: Visit): void {
  expect(v.external, 'requests to other hosts').toEqual([]);
  expect(v.errors, 'page errors and console errors').toEqual([]);
  expect(v.failedResponses, 'failed responses').toEqual([]);
}

describe('docs pages in a browser', () => {
  it('/docs renders Swagger UI with the operations and the Authorize button', async () => {
    const v = await visit('/docs');
    try {
      const { page } = v;
      // Swagger UI puts zero-width spaces into the displayed path; data-path holds the path as is.
      for (const path of ['/api/v1/auth/register', '/api/v1/auth/login']) {
        await expect.poll(() => page.locator(`.opblock .opblock-summary-path[data-path="${path}"]`).count(), { timeout: PAGE_TIMEOUT_MS }).toBe(1);
      }
      await page.getByRole('button', { name: 'Authorize' }).waitFor({ state: 'visible' });
      await expect.poll(() => page.locator('.opblock').count()).toBeGreaterThanOrEqual(7);
      // The stylesheet applied: operation blocks are laid out as styled boxes, not bare text.
      const border = await page.locator('.opblock').first().evaluate((el) => getComputedStyle(el).borderTopStyle);
      expect(border).toBe('solid');
      await screenshot(page, 'swagger-ui');
      expectClean(v);
    } finally {
      await v.context.close();
    }
  }, 60_000);

  it('/docs: Authorize with the password flow, then "Try it out" on GET /api/v1/auth/me answers 200 with the user', async () => {
    const email = 'swagger-user@example.com';
    const password = 'swagger-pass-1';
    const reg = await fetch(`${t.url}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, full_name: 'Swagger User', password }),
    });
    expect(reg.status).toBe(201);
    const v = await visit('/docs');
    try {
      const { page } = v;
      // Swagger UI posts the OAuth2 password form to the document's tokenUrl (/api/v1/auth/login).
      await page.getByRole('button', { name: 'Authorize' }).first().click();
      const dialog = page.locator('.modal-ux');
      await dialog.locator('#oauth_username').fill(email);
      await dialog.locator('#oauth_password').fill(password);
      const login = page.waitForResponse((r) => r.url() === `${origin}/api/v1/auth/login` && r.request().method() === 'POST');
      await dialog.getByRole('button', { name: 'Apply given OAuth2 credentials' }).click();
      expect((await login).status()).toBe(200);
      await dialog.getByRole('button', { name: 'Remove authorization' }).waitFor({ state: 'visible' });
      await dialog.getByRole('button', { name: 'Close' }).first().click();

      const operation = page.locator('#operations-auth-auth-me');
      await operation.locator('.opblock-summary').first().click();
      await operation.getByRole('button', { name: 'Try it out' }).click();
      const me = page.waitForResponse((r) => r.url() === `${origin}/api/v1/auth/me`);
      await operation.getByRole('button', { name: 'Execute' }).click();
      expect((await me).request().headers().authorization).toMatch(/^Bearer \S+$/);
      const live = operation.locator('.live-responses-table tr.response');
      await expect.poll(() => live.locator('.response-col_status').first().textContent()).toContain('200');
      await expect.poll(() => live.locator('.response-col_description').first().textContent()).toContain(`"email": "${email}"`);
      await screenshot(page, 'swagger-ui-try-it-out');
      expectClean(v);
    } finally {
      await v.context.close();
    }
  }, 60_000);

  it('/docs: the Authorize dialog says username is the email, and asks for no client_id, client_secret or their location', async () => {
    const v = await visit('/docs');
    try {
      const { page } = v;
      await page.getByRole('button', { name: 'Authorize' }).first().click();
      const dialog = page.locator('.modal-ux');
      await dialog.locator('#oauth_username').waitFor({ state: 'visible' });
      await dialog.locator('#oauth_password').waitFor({ state: 'visible' });
      expect(await dialog.textContent()).toContain('username is its email address');
      // Swagger UI renders them (no option leaves them out); the page hides them.
      for (const field of ['#client_id_password', '#client_secret_password', '#password_type']) {
        expect(await dialog.locator(field).count(), field).toBe(1);
        expect(await dialog.locator(field).isVisible(), field).toBe(false);
      }
      for (const label of ['client_id:', 'client_secret:', 'Client credentials location:']) {
        expect(await dialog.getByText(label, { exact: true }).isVisible(), label).toBe(false);
      }
      await screenshot(page, 'swagger-ui-authorize');
      expectClean(v);
    } finally {
      await v.context.close();
    }
  }, 60_000);

  it('/docs shows answers as real data: an appointment from the story, no made-up numbers or "string"', async () => {
    const v = await visit('/docs');
    try {
      const { page } = v;
      const operation = page.locator('#operations-appointments-appointments-get');
      await operation.locator('.opblock-summary').first().click();
      const example = operation.locator('tr.response[data-code="200"] .highlight-code').first();
      await example.waitFor({ state: 'visible' });
      const text = (await example.textContent()) ?? '';
      expect(text).toContain('"start_time": "2026-02-02T09:00:00.000Z"');
      expect(text).toContain('"end_time": "2026-02-02T10:00:00.000Z"');
      expect(text).toContain('"staff_id": 2');
      expect(text).not.toMatch(/9007199254740991|"string"/);
      await screenshot(page, 'swagger-ui-example');
      expectClean(v);
    } finally {
      await v.context.close();
    }
  }, 60_000);

  it('/redoc renders ReDoc with the operation summaries', async () => {
    const v = await visit('/redoc');
    try {
      const { page } = v;
      // An operation's heading is an <h2> with the summary (its accessible name also has the anchor's label).
      for (const summary of ['Register a user', 'Log in and get a bearer token']) {
        await page.locator(`h2:text-is("${summary}")`).waitFor({ state: 'visible' });
      }
      // The side menu lists the operations too.
      await expect.poll(() => page.locator('[role="menuitem"]', { hasText: 'Register a user' }).count()).toBeGreaterThanOrEqual(1);
      // The sidebar footer always has an <img> from https://cdn.redoc.ly (no ReDoc option removes it). The page's
      // CSP (img-src 'self' data:) stops it in the browser before any request is made, so route() never sees it,
      // and Chromium logs exactly one console error for the refusal; ReDoc then drops the image, keeping the text.
      await expect.poll(() => page.locator('img[alt="redocly logo"]').count()).toBe(0);
      await screenshot(page, 'redoc');
      // (Wording varies by Chromium version: "Refused to load the image '…' because it violates …" or
      // "Loading the image '…' violates the following Content Security Policy directive …".)
      const cspRefusal = /^console\.error: .*image 'https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini\.svg'.* violates the following Content Security Policy directive: "img-src/;
      expect(v.errors.filter((e) => cspRefusal.test(e)).length).toBeLessThanOrEqual(1);
      expectClean({ ...v, errors: v.errors.filter((e) => !cspRefusal.test(e)) });
    } finally {
      await v.context.close();
    }
  }, 60_000);
});

describe('docs assets over plain HTTP', () => {
  it.each(['/docs/assets/swagger-ui-bundle.js', '/redoc/assets/redoc.standalone.js'])('%s is served as JavaScript', async (path) => {
    const res = await fetch(`${t.url}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^(text|application)\/javascript\b/);
    expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
  });
});
