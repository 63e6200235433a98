// The security headers in a real browser: the built UI and the API docs under the server's
// Content-Security-Policy without a single violation, and signing in from the address that
// `segmata serve` prints (the key in the fragment, which the UI takes out of the address).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserMissing, buildUi, collectErrors, launchBrowser } from './web/browser.js';
import { startUiServer, type UiServer } from './web/server.js';

const missing = browserMissing();
if (missing) console.warn(`skipping the browser tests: ${missing}`);

/** Every CSP violation the page reports (the event, before any console line). */
async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction('__cspViolation', (v: string) => violations.push(v));
  // Runs in the page (as text: this project's TypeScript has no DOM types outside web/).
  await page.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (e) => window.__cspViolation(e.violatedDirective + ' blocked ' + (e.blockedURI || '(inline)') + ' at ' + e.sourceFile + ':' + e.lineNumber));`,
  });
  return violations;
}

describe.skipIf(!!missing)('security headers and sign-in in a real browser', () => {
  let ui: { dir: string; cleanup: () => void };
  let server: UiServer;
  let browser: Browser;
  let page: Page;
  let violations: string[];
  let errors: string[];
  /** Every request the browser sent: none may carry the key in its URL. */
  const requested: string[] = [];

  beforeAll(async () => {
    ui = await buildUi();
    server = await startUiServer(ui.dir);
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    violations = await watchViolations(page);
    errors = collectErrors(page);
    page.on('request', (r) => requested.push(r.url()));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    ui?.cleanup();
  });

  it('signs in from the key in the address fragment, never sends it, and takes it out of the address', async () => {
    const response = await page.goto(`${server.base}/#key=${server.adminKey}`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    const table = page.getByRole('table', { name: 'Segments' });
    await table.locator('tbody tr').first().waitFor();
    expect(page.url()).not.toContain(server.adminKey);
    expect(await page.evaluate("localStorage.getItem('segmata.apiKey')")).toBe(server.adminKey);
    expect(requested.filter((u) => u.includes(server.adminKey))).toEqual([]);
  });

  it('shows the screens with charts, forms and the designer without a CSP violation', async () => {
    for (const path of ['#/segments/arizona-software-openers/history', '#/segments/arizona-software-openers/overlap', '#/segments/arizona-software-openers/members', '#/designer/new', '#/contacts', '#/settings/schema']) {
      await page.goto(`${server.base}/${path}`);
      await page.locator('main').waitFor();
      await page.waitForLoadState('networkidle');
    }
    await page.goto(`${server.base}/#/segments/arizona-software-openers/overlap`);
    await page.getByRole('checkbox').first().check();
    await page.locator('.recharts-wrapper').first().waitFor();
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('serves the API docs (Swagger UI) under its own policy without a violation', async () => {
    const response = await page.goto(`${server.base}/docs/`);
    expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await page.locator('.opblock').first().waitFor();
    expect(await page.locator('.opblock').count()).toBeGreaterThan(20);
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  });
});
