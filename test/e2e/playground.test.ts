import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DetectResponseSchema, TranslationResultSchema } from '../../shared/contract/index.js';
import { launchStack, post, type Service, type Stack } from './harness.js';

/**
 * The playground in a real browser (Debian's chromium, headless, launched here) against the running
 * stack: container on the tiny fixture + wrangler dev. The page calls the public API like any client,
 * so what it shows is checked against what the API answers for the same request.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Low enough that the test can spend it, high enough for the flows before the 429 check. */
const REQUESTS_PER_MINUTE = 40;

let edge: Service;
let browser: Browser;
let page: Page;
let stack: Stack;
const screenshots = mkdtempSync(join(tmpdir(), 'sema-playground-'));

beforeAll(async () => {
  stack = await launchStack({ edgeVars: { RATE_LIMIT_PER_MINUTE: String(REQUESTS_PER_MINUTE) } });
  ({ edge } = stack);
  browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const textOf = (selector: string) => page.$eval(selector, (element) => element.textContent ?? '');
/** The node project has no DOM lib: page-side code is written against these shapes (or as page expressions). */
type FormField = { value: string };
type Link = { download: string; href: string; hidden: boolean };
const valueOf = (target: Page, selector: string) => target.$eval(selector, (element) => (element as unknown as FormField).value);
/** Waits until the page expression is true. */
const until = (target: Page, expression: string, timeout = 30_000) => target.waitForFunction(expression, { timeout });
const hasText = (selector: string) => `(document.querySelector('${selector}')?.textContent ?? '') !== ''`;

async function typeText(text: string): Promise<void> {
  await page.$eval('#text', (element) => ((element as unknown as FormField).value = ''));
  await page.type('#text', text);
}

/** Distinct colours of a screenshot, counted in the page's own canvas (a blank page has one). */
async function distinctColours(png: Uint8Array): Promise<number> {
  const base64 = Buffer.from(png).toString('base64');
  // Page-side code (the node project has no DOM types): decode the PNG and sample its pixels.
  return (await page.evaluate(`(async () => {
    const image = new Image();
    image.src = 'data:image/png;base64,${base64}';
    await image.decode();
    const canvas = new OffscreenCanvas(image.width, image.height);
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    const pixels = context.getImageData(0, 0, image.width, image.height).data;
    const colours = new Set();
    for (let i = 0; i < pixels.length; i += 16) colours.add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]);
    return colours.size;
  })()`)) as number;
}

describe('the playground in headless Chromium', () => {
  it('translates a fixture sentence between picked languages, as the API does (same request), and says it came from the model', async () => {
    await page.goto(`${edge.url}/playground`, { waitUntil: 'networkidle0' });
    // Pick by searching, as a user would: by English name for the source, by native name for the target.
    await page.type('#source-search', 'English');
    await page.select('#source', 'eng_Latn');
    await page.type('#target-search', 'Kiswahili');
    const matches = await page.$$eval('#target option', (options) => options.map((option) => (option as unknown as FormField).value));
    expect(matches).toContain('swh_Latn');
    expect(matches.length).toBeLessThan(5);
    await page.select('#target', 'swh_Latn');
    // A search that matches nothing keeps the chosen language (never an empty picker).
    await page.$eval('#target-search', (element) => ((element as unknown as FormField).value = ''));
    await page.type('#target-search', 'zzzz-no-such-language');
    expect(await valueOf(page, '#target')).toBe('swh_Latn');
    await typeText('the child eats the bread');
    await page.click('#translate');
    await until(page, hasText('#output'));

    const api = TranslationResultSchema.parse(
      // The page's own request: plain text, no alternatives unless asked.
      await (
        await post(`${edge.url}/api/v1/translate`, { text: 'the child eats the bread', source_language: 'eng_Latn', target_language: 'swh_Latn', options: { format: 'text', alternatives: 0 } })
      ).json(),
    );
    expect(await textOf('#output')).toBe(api.translated_text);
    expect(await page.$eval('#output', (element) => element.getAttribute('lang'))).toBe('sw-Latn');
    expect(await textOf('#meta')).toMatch(/^Translated by the model · \d+ ms/);
    // The state is in the URL: a fresh load of it reproduces the translation.
    const url = page.url();
    expect(new URL(url).searchParams.get('text')).toBe('the child eats the bread');
    const second = await browser.newPage();
    await second.goto(url, { waitUntil: 'networkidle0' });
    await until(second, hasText('#output'));
    expect(await second.$eval('#output', (element) => element.textContent)).toBe(api.translated_text);
    expect(await second.$eval('#meta', (element) => element.textContent)).toContain('From the cache');
    await second.close();
  });

  it('detects the source language when From is "Detect language"', async () => {
    await page.goto(`${edge.url}/playground?sl=auto&tl=eng_Latn`, { waitUntil: 'networkidle0' });
    const sentence = 'mtoto anapenda paka kila siku';
    await typeText(sentence);
    // Translate as you type (debounced): no click.
    await until(page, "(document.querySelector('#detected')?.textContent ?? '').startsWith('Detected')");
    const detection = DetectResponseSchema.parse(await (await post(`${edge.url}/api/v1/detect-language`, { text: sentence })).json());
    expect(detection.language_name).not.toBeNull();
    expect(await textOf('#detected')).toContain(`Detected: ${detection.language_name}`);
    expect(await textOf('#output')).not.toBe('');
    // Swap from "Detect language": the detected source becomes To (never the same language on both sides).
    await page.click('#swap');
    expect(await valueOf(page, '#target')).toBe(detection.detected_language);
    expect(await valueOf(page, '#source')).toBe('eng_Latn');
  });

  it('shows alternatives when asked', async () => {
    await page.goto(`${edge.url}/playground?sl=eng_Latn&tl=swh_Latn`, { waitUntil: 'networkidle0' });
    await page.click('#show-alternatives');
    await typeText('the mother drinks the tea');
    await page.click('#translate');
    await until(page, "document.querySelectorAll('#alternatives li').length > 0");
    const api = TranslationResultSchema.parse(
      await (
        await post(`${edge.url}/api/v1/translate`, { text: 'the mother drinks the tea', source_language: 'eng_Latn', target_language: 'swh_Latn', options: { format: 'text', alternatives: 2 } })
      ).json(),
    );
    expect(await page.$$eval('#alternatives li', (items) => items.map((item) => item.textContent))).toEqual(api.alternatives);
    expect(await page.$eval('#alternatives li', (item) => item.getAttribute('lang'))).toBe('sw-Latn');
  });

  it('translates an uploaded document into a download', async () => {
    await page.goto(`${edge.url}/playground?sl=eng_Latn&tl=swh_Latn`, { waitUntil: 'networkidle0' });
    const file = join(screenshots, 'notes.txt');
    writeFileSync(file, 'the child eats the bread\n\nthe mother drinks the tea\n');
    const input = await page.$('#file');
    await (input as unknown as { uploadFile(path: string): Promise<void> }).uploadFile(file);
    await page.click('#translate-document');
    await until(page, "!document.querySelector('#download').hidden", 60_000);
    expect(await page.$eval('#download', (element) => (element as unknown as Link).download)).toBe('notes.swh_Latn.txt');
    const translated = await page.$eval('#download', async (element) => await (await fetch((element as unknown as Link).href)).text());
    const api = TranslationResultSchema.parse(
      await (await post(`${edge.url}/api/v1/translate`, { text: 'the child eats the bread', source_language: 'eng_Latn', target_language: 'swh_Latn' })).json(),
    );
    expect(translated.split('\n')[0]).toBe(api.translated_text);
  });

  it('swaps the languages with the button, by keyboard too', async () => {
    await page.goto(`${edge.url}/playground?sl=eng_Latn&tl=fra_Latn`, { waitUntil: 'networkidle0' });
    await page.focus('#swap');
    await page.keyboard.press('Enter');
    expect(await valueOf(page, '#source')).toBe('fra_Latn');
    expect(await valueOf(page, '#target')).toBe('eng_Latn');
    // Every control has a label; the focus is visible (an outline).
    const unlabelled = await page.$$eval('input:not([type=hidden]), select, textarea', (elements) =>
      elements.filter((element) => !(element.labels && element.labels.length > 0) && !element.getAttribute('aria-label')).map((element) => element.id),
    );
    expect(unlabelled).toEqual([]);
    const outline = await page.evaluate("getComputedStyle(document.querySelector('#swap')).outlineStyle");
    expect(outline).not.toBe('none');
  });

  it('is not blank at desktop and phone width', async () => {
    await page.goto(`${edge.url}/playground?sl=eng_Latn&tl=swh_Latn&text=the%20child%20eats%20the%20bread`, { waitUntil: 'networkidle0' });
    await until(page, hasText('#output'));
    for (const [name, width, height] of [['desktop', 1280, 900], ['phone', 390, 844]] as const) {
      await page.setViewport({ width, height });
      const png = await page.screenshot({ type: 'png' });
      writeFileSync(join(screenshots, `playground-${name}.png`), png);
      if (name === 'phone' && process.env.PLAYGROUND_SCREENSHOT) writeFileSync(process.env.PLAYGROUND_SCREENSHOT, png);
      expect(await distinctColours(png), name).toBeGreaterThan(20);
      // Nothing wider than the screen at phone width.
      const overflow = (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
      expect(overflow, name).toBeLessThanOrEqual(0);
    }
    await page.setViewport({ width: 1280, height: 900 });
  });

  it('says in words when to retry after a 429', async () => {
    await page.goto(`${edge.url}/playground?sl=eng_Latn&tl=swh_Latn`, { waitUntil: 'networkidle0' });
    // Spend the budget of this client (the browser and this test both reach wrangler dev from 127.0.0.1).
    let limited = false;
    for (let i = 0; i < REQUESTS_PER_MINUTE + 5 && !limited; i++) {
      const response = await post(`${edge.url}/api/v1/translate`, { text: `the child eats the bread ${i}`, source_language: 'eng_Latn', target_language: 'swh_Latn' });
      limited = response.status === 429;
      await response.arrayBuffer();
    }
    expect(limited).toBe(true);
    await typeText('the father reads the book');
    await page.click('#translate');
    await until(page, hasText('#error'));
    expect(await textOf('#error')).toMatch(/^Too many requests: .* Try again in \d+ seconds?\.$/);
  });
});
