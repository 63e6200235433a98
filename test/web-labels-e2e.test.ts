// Display labels and plain words in a real browser: an admin renames names in Settings, and the
// designer, the plain-words definition and explain read them; a `but not` block reads by its
// effect. Same set-up as web-e2e.test.ts (Debian's Chromium, the demo data, the built UI).
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserMissing, buildUi, collectErrors, launchBrowser, screenshot } from './web/browser.js';
import { startUiServer, type UiServer } from './web/server.js';

const missing = browserMissing();
if (missing) console.warn(`skipping the browser tests: ${missing}`);

describe.skipIf(!!missing)('web UI: display labels, plain words and explain', () => {
  let ui: { dir: string; cleanup: () => void };
  let server: UiServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    ui = await buildUi();
    server = await startUiServer(ui.dir);
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    errors = collectErrors(page);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    ui?.cleanup();
  });

  /** Where `l` is drawn on the page (it must be drawn). */
  const box = async (l: Locator) => {
    const b = await l.boundingBox();
    expect(b).not.toBeNull();
    return b!;
  };

  /** Sign in with `key` (as the key gate stores it) and open `path`. */
  const open = async (key: string, path: string) => {
    await page.goto(`${server.base}/#key=${key}`);
    await page.getByRole('table', { name: 'Segments' }).waitFor();
    await page.goto(`${server.base}/#${path}`);
  };

  it('lets an admin set labels in Settings, and reset one', async () => {
    await open(server.adminKey, '/settings/schema');
    const contact = page.getByRole('table', { name: 'Contact attributes' });
    const jobTitle = contact.getByRole('textbox', { name: 'Label of job_title' });
    await expect.poll(() => jobTitle.inputValue()).toBe('Job title');
    await jobTitle.fill('Role');
    await contact.getByRole('button', { name: 'Save the label of job_title' }).click();
    await expect.poll(() => server.engine.registry.label('contact', 'job_title')).toBe('Role');

    const types = page.getByRole('table', { name: 'Interaction types' });
    const check = types.getByRole('textbox', { name: 'Label of event_checkin' });
    await expect.poll(() => check.inputValue()).toBe('Event check-in');
    await check.fill('Came to the event');
    await check.press('Enter');
    await expect.poll(() => server.engine.registry.label('interaction_type', 'event_checkin')).toBe('Came to the event');

    const relations = page.getByRole('table', { name: 'Relations' });
    await relations.getByRole('textbox', { name: 'Label of contact.account' }).fill('Company');
    await relations.getByRole('button', { name: 'Save the label of contact.account' }).click();
    await expect.poll(() => server.engine.registry.label('contact', 'account')).toBe('Company');

    // Reset goes back to the default, and stores nothing.
    const email = contact.getByRole('textbox', { name: 'Label of email', exact: true });
    await email.fill('E-mail');
    await contact.getByRole('button', { name: 'Save the label of email', exact: true }).click();
    await expect.poll(() => server.engine.registry.label('contact', 'email')).toBe('E-mail');
    await contact.getByRole('button', { name: 'Reset the label of email to "Email"' }).click();
    await expect.poll(() => email.inputValue()).toBe('Email');
    expect(server.engine.registry.customLabel('contact', 'email')).toBeUndefined();
    await screenshot(page, 'labels-01-settings');
  });

  it('offers attributes and interaction types under their labels in the designer', async () => {
    await page.goto(`${server.base}/#/segments/software-openers-30d/design`);
    // The profile block's attribute picker: "Company › Industry", and the contact's "Role".
    await expect.poll(() => page.locator('select option', { hasText: 'Company › Industry' }).count()).toBeGreaterThan(0);
    expect(await page.locator('select option', { hasText: /^Role$/ }).count()).toBeGreaterThan(0);
    const type = page.getByRole('combobox', { name: 'Interaction type' });
    expect(await type.locator('option:checked').textContent()).toBe('Email opened');
    expect(await type.locator('option', { hasText: 'Came to the event' }).count()).toBe(1);
    await screenshot(page, 'labels-02-designer');
  });

  it('reads the definition in plain words, under labels and segment names, as an outline', async () => {
    await page.goto(`${server.base}/#/segments/event-no-shows/definition`);
    const words = page.getByLabel('Definition in plain words');
    await expect.poll(() => words.locator(':scope > ul > li').allTextContents()).toEqual([
      'Contacts with Event registration at least once',
      'but not: contacts with Came to the event at least once',
    ]);
    await page.goto(`${server.base}/#/segments/arizona-software-openers/definition`);
    await expect.poll(() => words.textContent()).toContain('and also: members of segment "Software people who opened an email in the last 30 days"');
    await expect.poll(() => words.textContent()).toContain('Members of segment "Contacts in Arizona"');
    await page.goto(`${server.base}/#/segments/software-openers-30d/definition`);
    await expect.poll(() => words.textContent()).toContain('Contacts whose Company › Industry is "Software"');
    await screenshot(page, 'labels-03-definition');
  });

  it('words a but-not block by its effect in explain: keeping the contact passes, taking it out is no failure', async () => {
    // The demo's no-shows: registered, and a but-not block on check-ins.
    const [kept] = await server.engine.store.all<{ id: string }>(
      `SELECT contact_id AS id FROM interactions WHERE type = 'event_registration'
       EXCEPT SELECT contact_id FROM interactions WHERE type = 'event_checkin' ORDER BY id LIMIT 1`,
    );
    const [excluded] = await server.engine.store.all<{ id: string }>(
      `SELECT contact_id AS id FROM interactions WHERE type = 'event_registration'
       INTERSECT SELECT contact_id FROM interactions WHERE type = 'event_checkin' ORDER BY id LIMIT 1`,
    );
    expect(kept && excluded).toBeTruthy();

    await page.goto(`${server.base}/#/segments/event-no-shows/explain?contact=${kept!.id}`);
    const butNot = page.locator('.explain-block').nth(1);
    await expect.poll(() => butNot.textContent()).toContain('Not excluded: the contact does not match this, so this block keeps the contact.');
    expect(await butNot.getAttribute('class')).toContain('matched');
    expect(await butNot.getAttribute('class')).not.toContain('unmatched');
    expect(await butNot.getByRole('img', { name: 'not excluded' }).count()).toBe(1);
    expect(await butNot.textContent()).toContain('Came to the event');
    await screenshot(page, 'labels-04-explain-kept');

    await page.goto(`${server.base}/#/segments/event-no-shows/explain?contact=${excluded!.id}`);
    await expect.poll(() => butNot.textContent()).toContain('Excluded by this block');
    expect(await butNot.getAttribute('class')).toContain('excluded');
    expect(await butNot.getAttribute('class')).not.toContain('unmatched');
    await screenshot(page, 'labels-05-explain-excluded');
  });

  it('heads the contact and member tables with the labels, and keeps each label, Save and Reset on one line at 1280 and 768 px', async () => {
    await page.goto(`${server.base}/#/settings/schema`);
    const contact = page.getByRole('table', { name: 'Contact attributes' });
    await contact.getByRole('textbox', { name: 'Label of city' }).fill('Town');
    await contact.getByRole('button', { name: 'Save the label of city' }).click();
    await expect.poll(() => server.engine.registry.label('contact', 'city')).toBe('Town');
    for (const width of [1280, 768]) {
      await page.setViewportSize({ width, height: 900 });
      await contact.getByRole('button', { name: 'Reset the label of city to "City"' }).waitFor();
      // The field and its buttons share a line (Save used to wrap under the field), inside the page's width.
      const field = await box(contact.getByRole('textbox', { name: 'Label of city' }));
      const save = await box(contact.getByRole('button', { name: 'Save the label of city' }));
      const reset = await box(contact.getByRole('button', { name: /^Reset the label of city/ }));
      expect(Math.abs(save.y - field.y), `Save beside the field at ${width} px`).toBeLessThan(field.height);
      expect(Math.abs(reset.y - field.y), `Reset beside the field at ${width} px`).toBeLessThan(field.height);
      expect(save.x).toBeGreaterThan(field.x + field.width - 1);
      expect(reset.x + reset.width, `Reset inside the page at ${width} px`).toBeLessThanOrEqual(width);
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect(overflow, `no sideways scrolling at ${width} px`).toBeLessThanOrEqual(0);
      await screenshot(page, `labels-06-settings-${width}`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });

    // The tables of records read under the same labels: "Town", and job titles' "Role" is not a column here.
    const headers = (table: Locator) => table.locator('thead th').allTextContents();
    await page.goto(`${server.base}/#/contacts`);
    const contacts = page.getByRole('table', { name: 'Contacts' });
    await expect.poll(() => headers(contacts)).toEqual(['ID', 'Name', 'Email', 'Town', 'State', 'Score']);
    await page.goto(`${server.base}/#/segments/software-openers-30d/members`);
    const members = page.getByRole('table', { name: 'Members' });
    await expect.poll(() => headers(members)).toEqual(['ID', 'Name', 'Email', 'State', 'Town']);
    await screenshot(page, 'labels-07-members');
    // Back to the default: the headers follow.
    await page.goto(`${server.base}/#/settings/schema`);
    await contact.getByRole('button', { name: 'Reset the label of city to "City"' }).click();
    await expect.poll(() => server.engine.registry.customLabel('contact', 'city')).toBeUndefined();
    await page.goto(`${server.base}/#/contacts`);
    await expect.poll(() => headers(contacts)).toEqual(['ID', 'Name', 'Email', 'City', 'State', 'Score']);
  });

  it('shows a viewer the labels without letting it edit them', async () => {
    await open(server.viewerKey, '/settings/schema');
    const contact = page.getByRole('table', { name: 'Contact attributes' });
    await expect.poll(() => contact.getByRole('cell', { name: 'Role', exact: true }).count()).toBe(1);
    expect(await contact.getByRole('textbox').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
