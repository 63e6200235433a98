import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { tempDir } from '../helpers/engine.js';

/** Debian's Chromium (`.ci/run` installs it): playwright cannot download a browser here. */
export const CHROMIUM = process.env.SEGMATA_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Why the browser tests cannot run, or undefined when they can. Under CI a missing browser is a
 * failure (the suite must not pass without them); elsewhere the tests skip with this reason.
 */
export function browserMissing(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  const reason = `no Chromium at ${CHROMIUM} (apt-get install chromium, or set SEGMATA_CHROMIUM)`;
  if (process.env.CI) throw new Error(`browser tests: ${reason}; CI must install it (.ci/run does)`);
  return reason;
}

/** Build the web UI from the current sources into a temporary folder (what the server will serve). */
export async function buildUi(): Promise<{ dir: string; cleanup: () => void }> {
  const tmp = tempDir('segmata-web-');
  const dir = join(tmp.dir, 'web');
  await build({ configFile: join(process.cwd(), 'web', 'vite.config.ts'), logLevel: 'warn', build: { outDir: dir, emptyOutDir: true } });
  return { dir, cleanup: tmp.cleanup };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

/** Screenshots of each screen, kept as test artifacts (git-ignored). */
export const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'screens');

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Every console error and uncaught exception of a page: the UI must have none. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}
