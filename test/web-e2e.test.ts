// The web UI end to end: a real headless Chromium (Debian's, through playwright-core) against a
// started server with the demo data, driving the screens as a marketer would.
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../src/engine/access/keys.js';
import { createWebhook } from '../src/engine/webhooks/store.js';
import { browserMissing, buildUi, collectErrors, launchBrowser, screenshot } from './web/browser.js';
import { startUiServer, type UiServer } from './web/server.js';

const missing = browserMissing();
if (missing) console.warn(`skipping the browser tests: ${missing}`);

describe.skipIf(!!missing)('web UI in a real browser', () => {
  let ui: { dir: string; cleanup: () => void };
  let server: UiServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    ui = await buildUi();
    server = await startUiServer(ui.dir);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    errors = collectErrors(page);
    // The UI asks with its own dialogs: a browser confirm/alert/prompt is a failure (and is dismissed).
    // Leaving the designer with unsaved changes is the one native question (browsers allow no other).
    page.on('dialog', (d) => {
      if (d.type() === 'beforeunload') return void d.accept();
      errors.push(`native ${d.type()}: ${d.message()}`);
      void d.dismiss();
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    ui?.cleanup();
  });

  it('asks for a key, refuses an unknown one, and shows the segments list once given one', async () => {
    await page.goto(`${server.base}/`);
    await page.getByRole('textbox', { name: 'API key' }).fill('sgm_not-a-key');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('does not know this key');
    await page.goto(`${server.base}/#key=${server.adminKey}`);
    const table = page.getByRole('table', { name: 'Segments' });
    await table.waitFor();
    // The address no longer shows the key: it is stored, not left in the history.
    expect(page.url()).not.toContain('key=');
    const names = await table.locator('tbody tr td:nth-child(2)').allTextContents();
    expect(names.length).toBeGreaterThan(3);
    await screenshot(page, '01-segments-list');
    // The refused key's 401 is the browser's own console line, on purpose: only later errors count.
    expect(errors.every((e) => e.includes('401'))).toBe(true);
    errors.length = 0;
  });

  it('filters the list by status and type, and searches by name', async () => {
    const table = page.getByRole('table', { name: 'Segments' });
    await page.getByRole('combobox', { name: 'Status' }).selectOption('live');
    await expect.poll(async () => new Set(await table.locator('.badge[class*="status-"]').allTextContents())).toEqual(new Set(['live']));
    await page.getByRole('combobox', { name: 'Status' }).selectOption('');
    await page.getByRole('combobox', { name: 'Type' }).selectOption('compound');
    await expect.poll(async () => new Set(await table.locator('.badge[class*="type-"]').allTextContents())).toEqual(new Set(['compound']));
    await page.getByRole('combobox', { name: 'Type' }).selectOption('');
    await page.getByLabel('Search segments').fill('arizona');
    await expect.poll(async () => (await table.locator('tbody tr td:nth-child(2)').allTextContents()).every((n) => /arizona/i.test(n))).toBe(true);
    await page.getByLabel('Search segments').fill('');
  });

  /** The designer's estimate, once one is shown for the current definition. */
  const estimate = async (): Promise<number> => {
    const total = page.getByTestId('estimate-total');
    await expect.poll(async () => (await total.getAttribute('data-count')) ?? '').toMatch(/^\d+$/);
    return Number(await total.getAttribute('data-count'));
  };
  /** Wait until the estimate settles on a value other than `before`. */
  const estimateChangedFrom = async (before: number): Promise<number> => {
    await expect.poll(async () => Number((await page.getByTestId('estimate-total').getAttribute('data-count')) ?? NaN), { timeout: 15_000 }).not.toBe(before);
    return estimate();
  };
  let segmentUrl = '';
  let aMember = '';
  let aMemberEmail = '';
  /** Use `key` from now on, as a user who signed in with it (the stored key, then a fresh page). */
  const signIn = async (key: string) => {
    // (Page-side code as text: the project's TypeScript has no DOM types outside web/.)
    await page.evaluate(`localStorage.setItem('segmata.apiKey', ${JSON.stringify(key)})`);
    await page.reload();
  };

  it('creates a dynamic segment from a template, adds a behavioral and a "but not" segment block, and watches the estimate change', async () => {
    await page.goto(`${server.base}/#/segments/new`);
    await page.getByRole('button', { name: /^Contacts in a state/ }).click();
    // The panel says what the template finds with its parameters, in words.
    await expect.poll(() => page.locator('.template-preview').textContent()).toContain('"AZ"');
    await screenshot(page, '02-new-segment-templates');
    await expect.poll(() => page.getByRole('textbox', { name: /State/ }).inputValue()).toBe('AZ');
    await page.getByRole('button', { name: 'Select' }).click();

    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('E2E Arizona openers');
    const arizona = await estimate();
    expect(arizona).toBeGreaterThan(0);
    // The value field offers the data's own values (GET /schema/values), most frequent first.
    await expect.poll(() => page.locator('datalist option').count()).toBeGreaterThan(3);
    expect(await page.locator('datalist option').evaluateAll((os) => os.map((o) => o.getAttribute('value')))).toContain('AZ');

    await page.getByRole('button', { name: 'Add block' }).click();
    await page.getByRole('menuitem', { name: 'Behavioral' }).click();
    await page.getByRole('combobox', { name: 'Interaction type' }).selectOption('email_open');
    await page.getByRole('combobox', { name: 'Relation' }).selectOption('and_also');
    await page.getByRole('combobox', { name: 'Window' }).selectOption('last');
    const openers = await estimateChangedFrom(arizona);
    expect(openers).toBeLessThan(arizona);

    await page.getByRole('button', { name: 'Add block' }).click();
    await page.getByRole('menuitem', { name: 'Segment' }).click();
    await page.getByRole('combobox', { name: 'Segment', exact: true }).selectOption('software-openers-30d');
    await page.getByRole('combobox', { name: 'Relation' }).nth(1).selectOption('but_not');
    const final = await estimateChangedFrom(openers);
    expect(final).toBeLessThan(openers);
    // Each block's own count is shown beside it.
    await expect.poll(() => page.getByTestId('block-estimate').count()).toBe(3);
    await screenshot(page, '03-designer');

    // The JSON view shows the exact definition the blocks make.
    await page.getByRole('tab', { name: 'JSON' }).click();
    const json = JSON.parse(await page.getByRole('textbox', { name: 'Definition JSON' }).inputValue());
    expect(json.query.blocks.map((b: { kind: string; relation?: string }) => [b.kind, b.relation ?? null])).toEqual([
      ['profile', null],
      ['behavioral', 'and_also'],
      ['segment', 'but_not'],
    ]);
    await page.getByRole('tab', { name: 'Blocks' }).click();

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.url()).toMatch(/#\/segments\/[a-z0-9-]+\/design$/);
    await expect.poll(() => page.getByTestId('segment-status').textContent()).toContain('draft');
    await page.getByRole('button', { name: 'Go live', exact: true }).click();
    await expect.poll(() => page.getByTestId('segment-status').textContent()).toContain('live');
    segmentUrl = page.url().replace(/\/design$/, '');
    const stored = await server.engine.segments.get(segmentUrl.split('/').pop()!);
    expect(stored.status).toBe('live');
    expect(stored.memberCount).toBe(final);
  });

  it('shows the live segment\'s members and exports them as CSV', async () => {
    await page.goto(`${segmentUrl}/members`);
    const members = page.getByRole('table').first();
    await members.locator('tbody tr a').first().waitFor();
    aMember = (await members.locator('tbody tr a').first().textContent())!.trim();
    expect(aMember).toMatch(/^c\d+$/);
    aMemberEmail = (await members.locator('tbody tr').first().locator('td').nth(2).textContent())!.trim();
    const id = segmentUrl.split('/').pop()!;
    const count = (await server.engine.segments.get(id)).memberCount;
    expect(count).toBeGreaterThan(25);
    // The total and the range shown: "1–25 of 1,234".
    await expect.poll(() => page.getByTestId('page-range').textContent()).toBe(`1–25 of ${count.toLocaleString('en-US')}`);
    await expect.poll(() => page.getByTestId('member-total').textContent()).toBe(`${count.toLocaleString('en-US')} members`);
    await screenshot(page, '04-segment-members');
    await page.getByRole('button', { name: 'Next →' }).click();
    await expect.poll(() => page.getByTestId('page-range').textContent()).toMatch(new RegExp(`^26–\\d+ of ${count.toLocaleString('en-US')}$`));
    await page.getByRole('button', { name: '← Previous' }).click();
    // A search matches any text attribute of the member: here its city.
    const city = (await members.locator('tbody tr').first().locator('td').nth(4).textContent())!.trim();
    await page.getByLabel('Search members').fill(city);
    await expect.poll(async () => (await members.locator('tbody tr td:nth-child(5)').allTextContents()).every((c) => c === city)).toBe(true);
    await expect.poll(() => members.locator('tbody tr a').allTextContents()).toContain(aMember);
    await expect.poll(() => page.getByTestId('member-total').textContent()).toMatch(/^[\d,]+ matching$/);
    await page.getByLabel('Search members').fill('');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const csv = await readFile((await download.path())!, 'utf8');
    const lines = csv.trim().split('\n');
    expect(lines[0]!.split(',')[0]).toBe('id');
    expect(lines.length - 1).toBe(count);
    expect(lines.map((l) => l.split(',')[0])).toContain(aMember);
  });

  it('explains why a contact is in, and shows history, definition and overlap', async () => {
    await page.goto(`${segmentUrl}/explain`);
    // Found by email, not by typing its id: the search box lists the matches as one types.
    const box = page.getByRole('combobox', { name: 'Contact' });
    await box.fill(aMemberEmail);
    await page.getByRole('option', { name: new RegExp(aMember) }).waitFor();
    await screenshot(page, '05a-explain-contact-search');
    // By keyboard, as the combobox pattern has it: down to the match, Enter picks it.
    await box.press('ArrowDown');
    await expect.poll(() => page.getByRole('option', { name: new RegExp(aMember) }).getAttribute('aria-selected')).toBe('true');
    await box.press('Enter');
    await expect.poll(() => page.locator('.verdict').textContent()).toContain('is a member');
    expect(page.url()).toContain(`contact=${aMember}`);
    await screenshot(page, '05-segment-explain');
    // The way back names the segment as the marketer named it, not by its id.
    const id = segmentUrl.split('/').pop()!;
    const crumb = page.getByRole('navigation', { name: 'Breadcrumb' });
    expect(await crumb.textContent()).toBe('Segments / E2E Arizona openers');
    expect(await crumb.textContent()).not.toContain(id);
    // Another contact asked about through the address (a link, Back): the box follows it.
    const other = aMember === 'c000001' ? 'c000002' : 'c000001';
    await page.goto(`${segmentUrl}/explain?contact=${other}`);
    await expect.poll(() => page.locator('.verdict').textContent()).toContain(other);
    expect(await box.inputValue()).toBe(other);
    await page.goBack();
    await expect.poll(() => box.inputValue()).toBe(aMember);
    await expect.poll(() => page.locator('.verdict').textContent()).toContain(aMember);
    await page.getByRole('link', { name: 'History' }).click();
    await page.locator('.recharts-wrapper, table').first().waitFor();
    await screenshot(page, '06-segment-history');
    await page.getByRole('link', { name: 'Definition' }).click();
    // The plain words name the segment by its name (an outline: "but not: members of segment …").
    await expect.poll(() => page.locator('main').textContent()).toContain('but not: members of segment "Software people who opened an email in the last 30 days"');
    await screenshot(page, '07-segment-definition');
    await page.getByRole('link', { name: 'Overlap' }).click();
    await page.getByRole('checkbox').first().check();
    await page.locator('.recharts-wrapper').first().waitFor();
    await screenshot(page, '08-segment-overlap');
  });

  it('stops the segment', async () => {
    await page.goto(`${segmentUrl}/members`);
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await expect.poll(() => page.getByTestId('segment-status').textContent()).toContain('stopped');
    expect((await server.engine.segments.get(segmentUrl.split('/').pop()!)).status).toBe('stopped');
  });

  it('creates a static segment, picks its members one and several at a time, and takes it live, stops and renames it from its page', async () => {
    await page.goto(`${server.base}/#/segments/new`);
    await page.getByRole('radio', { name: /Static/ }).check();
    await page.getByRole('textbox', { name: 'Segment name' }).fill('E2E hand-picked');
    await page.getByRole('button', { name: 'Create and pick members' }).click();
    await page.getByLabel('Search contacts').fill('c000042');
    await page.getByRole('button', { name: 'Add c000042' }).click();
    await page.getByRole('button', { name: 'Remove c000042' }).waitFor();
    // Now a member, the contact says so in the search results, and cannot be picked again.
    const results = page.getByRole('table', { name: 'Matching contacts' });
    await expect.poll(() => results.locator('tbody tr').first().textContent()).toContain('Member');
    expect(await page.getByRole('button', { name: 'Add c000042' }).count()).toBe(0);
    expect(await results.getByRole('checkbox', { name: /c000042/ }).isDisabled()).toBe(true);
    // Several at a time: ticked across the results, added together.
    await page.getByLabel('Search contacts').fill('c00005');
    await results.getByRole('checkbox', { name: /\(c000051\)$|^Select c000051$/ }).check();
    await results.getByRole('checkbox', { name: /\(c000052\)$|^Select c000052$/ }).check();
    await page.getByRole('button', { name: 'Add 2 contacts' }).click();
    await page.getByRole('button', { name: 'Remove c000052' }).waitFor();
    await expect.poll(() => page.locator('.static-members .notice').textContent()).toBe('2 contacts added.');
    await screenshot(page, '09-static-members');
    const stored = await server.engine.store.all<{ contact_id: string }>("SELECT contact_id FROM memberships WHERE segment_id = 'e2e-hand-picked' ORDER BY contact_id");
    expect(stored.map((r) => r.contact_id)).toEqual(['c000042', 'c000051', 'c000052']);
    await expect.poll(() => page.getByTestId('page-range').textContent()).toBe('1–3 of 3');

    // Live, stopped and renamed from its page, like any segment (it used to stay "draft" here).
    await page.getByRole('button', { name: 'Go live', exact: true }).click();
    await expect.poll(() => page.getByTestId('segment-status').textContent()).toContain('live');
    expect((await server.engine.segments.get('e2e-hand-picked')).status).toBe('live');
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await expect.poll(() => page.getByTestId('segment-status').textContent()).toContain('stopped');
    expect((await server.engine.segments.get('e2e-hand-picked')).status).toBe('stopped');
    await page.getByRole('button', { name: 'Rename', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: /Rename/ });
    await dialog.getByRole('textbox', { name: 'New name' }).fill('E2E picked by hand');
    await screenshot(page, '09b-static-rename-dialog');
    await dialog.getByRole('button', { name: 'Rename' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('E2E picked by hand');
    expect(await dialog.count()).toBe(0);
    expect((await server.engine.segments.get('e2e-hand-picked')).name).toBe('E2E picked by hand');
    await page.getByRole('button', { name: 'Go live', exact: true }).click();
    await expect.poll(() => page.getByTestId('segment-status').textContent()).toContain('live');
  });

  it('marks a condition without a value as incomplete and estimates nothing until it has one; text offers no less-than', async () => {
    await page.goto(`${server.base}/#/designer/new`);
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('E2E incomplete');
    await page.getByRole('button', { name: 'Add block' }).click();
    await page.getByRole('menuitem', { name: 'Profile' }).click();
    await page.locator('.rule-fields').first().selectOption('state');
    await expect.poll(() => page.locator('.field-incomplete').first().textContent()).toContain('enter a value');
    await expect.poll(() => page.locator('.designer-summary').textContent()).toContain('incomplete');
    // No estimate is asked for (nor shown as 0) while the value is missing.
    await page.waitForTimeout(700);
    expect(await page.getByTestId('estimate-total').getAttribute('data-count')).toBeNull();
    await screenshot(page, '03b-designer-incomplete');
    const operators = await page.locator('.rule-operators').first().locator('option').evaluateAll((os) => os.map((o) => o.getAttribute('value')));
    expect(operators).toContain('eq');
    expect(operators.filter((o) => ['lt', 'lte', 'gt', 'gte', 'between'].includes(o))).toEqual([]);
    await page.locator('.rule-value-wrap input').first().fill('AZ');
    expect(await estimate()).toBeGreaterThan(0);
    expect(await page.locator('.field-incomplete').count()).toBe(0);
  });

  it('shows contacts, a contact page and the settings', async () => {
    await page.goto(`${server.base}/#/contacts`);
    await expect.poll(() => page.getByTestId('page-range').textContent()).toBe('1–25 of 2,000');
    await expect.poll(() => page.getByTestId('contact-total').textContent()).toBe('2,000 contacts');
    await page.getByRole('table').first().locator('tbody tr a').first().click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    await expect.poll(() => page.locator('main').textContent()).toMatch(/Interactions|Timeline/i);
    await screenshot(page, '10-contact');
    for (const tab of ['schema', 'keys', 'webhooks']) {
      await page.goto(`${server.base}/#/settings/${tab}`);
      await page.getByRole('table').first().waitFor();
      await screenshot(page, `11-settings-${tab}`);
    }
  });

  it('asks in its own dialog before revoking a key or deleting a webhook: Escape keeps it, the button does it', async () => {
    const key = await createKey(server.engine.store, 'viewer', 'E2E spare key', server.engine.clock());
    await page.goto(`${server.base}/#/settings/keys`);
    await page.reload(); // made behind the UI's back
    await page.getByRole('button', { name: 'Revoke E2E spare key' }).click();
    const revoke = page.getByRole('dialog', { name: 'Revoke the key “E2E spare key”?' });
    await revoke.waitFor();
    expect(await revoke.textContent()).toContain(`${key.prefix}…`);
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Cancel');
    await screenshot(page, '11b-revoke-key-dialog');
    await page.keyboard.press('Escape');
    await expect.poll(() => revoke.count()).toBe(0);
    expect((await server.engine.store.all<{ revoked_at: unknown }>('SELECT revoked_at FROM api_keys WHERE id = $1', [key.id]))[0]?.revoked_at).toBeNull();
    await page.getByRole('button', { name: 'Revoke E2E spare key' }).click();
    await revoke.getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => page.locator('.notice[role="status"]').textContent()).toBe('Revoked “E2E spare key”.');
    expect((await server.engine.store.all<{ revoked_at: unknown }>('SELECT revoked_at FROM api_keys WHERE id = $1', [key.id]))[0]?.revoked_at).not.toBeNull();

    const hook = await createWebhook(server.engine.store, 'event-no-shows', 'http://127.0.0.1:9/e2e-hook', server.engine.clock(), { allowPrivate: true });
    await page.goto(`${server.base}/#/settings/webhooks`);
    await page.reload();
    const deleteHook = page.getByRole('button', { name: 'Delete the webhook to http://127.0.0.1:9/e2e-hook' });
    await deleteHook.click();
    const dialog = page.getByRole('dialog', { name: 'Delete this webhook?' });
    await dialog.waitFor();
    // It says which segment's changes stop, by the segment's name.
    expect(await dialog.textContent()).toContain('Registered for an event but never checked in');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    expect((await server.engine.store.all('SELECT id FROM webhooks WHERE id = $1', [hook.id])).length).toBe(1);
    await deleteHook.click();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => deleteHook.count()).toBe(0);
    expect((await server.engine.store.all('SELECT id FROM webhooks WHERE id = $1', [hook.id])).length).toBe(0);
  });

  it('words a count and its noun in agreement in the designer: 1 day, 1 time; 2 times', async () => {
    await page.goto(`${server.base}/#/designer/new`);
    await page.getByRole('button', { name: 'Add block' }).click();
    await page.getByRole('menuitem', { name: 'Behavioral' }).click();
    await page.getByRole('combobox', { name: 'Window' }).selectOption('last');
    const unit = page.getByRole('combobox', { name: 'Time unit' });
    expect(await unit.locator('option:checked').textContent()).toBe('days');
    await page.getByRole('spinbutton', { name: 'Amount of time' }).fill('1');
    await expect.poll(() => unit.locator('option:checked').textContent()).toBe('day');
    expect(await unit.locator('option').allTextContents()).toEqual(['minute', 'hour', 'day', 'week']);
    const block = page.locator('.block-card').first();
    await expect.poll(() => page.getByRole('spinbutton', { name: 'Count' }).inputValue()).toBe('1');
    expect(await block.getByText(/^times?$/).textContent()).toBe('time');
    await page.getByRole('spinbutton', { name: 'Count' }).fill('2');
    await expect.poll(() => block.getByText(/^times?$/).textContent()).toBe('times');
  });

  it('is usable at 768 px: the list and the designer fit without sideways scrolling', async () => {
    await page.setViewportSize({ width: 768, height: 1000 });
    for (const [name, url] of [['12-segments-list-768', '/#/'], ['13-designer-768', `${segmentUrl.replace(server.base, '')}/design`]] as const) {
      await page.goto(`${server.base}${url}`);
      await page.locator('main h1').first().waitFor();
      await page.waitForTimeout(300);
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect(overflow, name).toBeLessThanOrEqual(0);
      await screenshot(page, name);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('says why a new segment saved by "Go live" could not go live (it reads a draft)', async () => {
    await server.engine.segments.create({ id: 'e2e-draft', name: 'E2E draft', type: 'dynamic', query: { blocks: [{ kind: 'profile', where: { attr: 'state', op: 'eq', value: 'TX' } }] } });
    await page.goto(`${server.base}/#/designer/new?type=compound`);
    // Made behind the UI's back: a reload, so the picker lists it (the UI caches the list briefly).
    await page.reload();
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('E2E on a draft');
    await page.getByRole('button', { name: 'Add block' }).click();
    await page.getByRole('menuitem', { name: 'Segment' }).click();
    await page.getByRole('combobox', { name: 'Segment', exact: true }).selectOption('e2e-draft');
    await page.getByRole('button', { name: 'Go live', exact: true }).click();
    await expect.poll(() => page.url()).toMatch(/#\/segments\/e2e-on-a-draft\/design$/);
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/could not go live/);
    expect((await server.engine.segments.get('e2e-on-a-draft')).status).toBe('draft');
    errors.splice(0, errors.length, ...errors.filter((e) => !e.includes('status of 409') && !e.includes('status of 400')));
  });

  it('activates several segments at once, and shows a refused one as a failure, in red, by its name', async () => {
    await server.engine.segments.create({ id: 'e2e-ok', name: 'E2E fine draft', type: 'dynamic', query: { blocks: [{ kind: 'profile', where: { attr: 'state', op: 'eq', value: 'CA' } }] } });
    await page.goto(`${server.base}/#/`);
    await page.reload();
    const table = page.getByRole('table', { name: 'Segments' });
    await page.getByLabel('Search segments').fill('E2E');
    await table.getByRole('checkbox', { name: 'Select E2E fine draft' }).check();
    const bulk = page.getByRole('region', { name: 'Bulk actions' });
    await expect.poll(() => bulk.textContent()).toContain('1 segment selected');
    // (It reads a draft: going live is refused.)
    await table.getByRole('checkbox', { name: 'Select E2E on a draft' }).check();
    await expect.poll(() => bulk.textContent()).toContain('2 segments selected');
    await page.getByRole('region', { name: 'Bulk actions' }).getByRole('button', { name: 'Activate', exact: true }).click();
    const alert = page.locator('.outcome[role="alert"]');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/^Could not activate 1 segment \(1 other activated\):/);
    expect(await alert.locator('li strong').allTextContents()).toEqual(['E2E on a draft']);
    // The reason names the segments it is about as the user knows them, not by id.
    expect(await alert.locator('li').textContent()).toContain('references “E2E draft”');
    expect(await alert.textContent()).not.toContain('e2e-draft');
    // Red: the error colours, not the green of a notice.
    expect(await page.evaluate(`getComputedStyle(document.querySelector('.outcome[role="alert"]')).backgroundColor`)).toBe('rgb(253, 226, 224)');
    await screenshot(page, '14-bulk-failure');
    expect((await server.engine.segments.get('e2e-ok')).status).toBe('live');
    expect((await server.engine.segments.get('e2e-on-a-draft')).status).toBe('draft');
    errors.splice(0, errors.length, ...errors.filter((e) => !e.includes('status of 409')));
  });

  it('confirms a delete in its own dialog: Escape cancels, Delete deletes', async () => {
    await page.getByRole('button', { name: 'Deactivate E2E fine draft' }).click();
    await expect.poll(() => page.locator('.notice[role="status"]').textContent()).toBe('1 segment deactivated.');
    await page.getByRole('button', { name: 'Delete E2E fine draft' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete “E2E fine draft”?' });
    await dialog.waitFor();
    // Modal and focused: the focus starts on Cancel (a destructive action), inside the dialog.
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Cancel');
    await screenshot(page, '15-delete-dialog');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    // The focus is back where it was.
    expect(await page.evaluate("document.activeElement?.getAttribute('aria-label')")).toBe('Delete E2E fine draft');
    expect((await server.engine.segments.get('e2e-ok')).name).toBe('E2E fine draft');
    await page.getByRole('button', { name: 'Delete E2E fine draft' }).click();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => page.locator('.notice[role="status"]').textContent()).toBe('1 segment deleted.');
    expect((await server.engine.segments.list()).some((x) => x.id === 'e2e-ok')).toBe(false);
    // A static segment is renamed from the list too.
    await page.getByRole('button', { name: 'Rename E2E picked by hand' }).click();
    await page.getByRole('dialog', { name: /Rename/ }).getByRole('textbox', { name: 'New name' }).fill('E2E hand-picked again');
    await page.getByRole('dialog', { name: /Rename/ }).getByRole('button', { name: 'Rename' }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Segments' }).getByRole('link', { name: 'E2E hand-picked again' }).count()).toBe(1);
    expect((await server.engine.segments.get('e2e-hand-picked')).name).toBe('E2E hand-picked again');
    await page.getByLabel('Search segments').fill('');
  });

  it('offers a viewer\'s key no changes: no new segment, no row actions, no selection, nothing to do on a segment\'s page', async () => {
    await signIn(server.viewerKey);
    await expect.poll(() => page.locator('.topbar .account').textContent()).toContain('viewer');
    const table = page.getByRole('table', { name: 'Segments' });
    await table.locator('tbody tr').first().waitFor();
    expect(await page.getByRole('link', { name: '+ New segment' }).count()).toBe(0);
    expect(await table.getByRole('button').count()).toBe(0);
    expect(await table.getByRole('checkbox').count()).toBe(0);
    for (const url of [`${segmentUrl}/members`, `${server.base}/#/segments/e2e-hand-picked/members`]) {
      await page.goto(url);
      await page.getByRole('table', { name: 'Members' }).locator('tbody tr').first().waitFor();
      for (const name of ['Edit', 'Rename', 'Go live', 'Refresh', 'Stop', 'Delete', 'Remove c000042']) {
        expect(await page.getByRole('button', { name, exact: true }).count(), name).toBe(0);
        expect(await page.getByRole('link', { name, exact: true }).count(), name).toBe(0);
      }
      expect(await page.getByRole('group', { name: 'Segment actions' }).count()).toBe(0);
    }
    // The hand-picked segment's page shows its members, with nothing to add or remove.
    expect(await page.getByLabel('Search contacts').count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Remove/ }).count()).toBe(0);
    await screenshot(page, '16-viewer-segment');
  });

  it('made no console errors', () => {
    // (A refused request the UI handles still logs the browser's network line: none is expected here.)
    expect(errors).toEqual([]);
  });
});
