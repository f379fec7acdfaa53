/**
 * Headless Chromium over the Temporal Web UI of the integration dev server, for `web-ui.test.ts`: Debian's
 * `/usr/bin/chromium` (installed by `scripts/setup-test-deps.sh`) driven by playwright-core, which never downloads
 * a browser of its own.
 *
 * The Web UI is a single-page app that renders after its own API calls: tests wait for text to appear
 * ({@link WebUiBrowser.openAndWaitFor}), never for a fixed time.
 */
import { mkdirSync, mkdtempSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { PROJECT_ROOT, waitFor } from './harness';

/** Debian's chromium, the only browser the tests use. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Set to a directory (relative to the checkout, e.g. `docs/screenshots`) to write the screenshots there: `npm run
 * screenshots:web-ui` regenerates the README's. Unset, they go to a fresh temporary directory.
 */
export const SCREENSHOTS_DIR_VARIABLE = 'WEB_UI_SCREENSHOTS_DIR';

/** Screenshots above this size are refused: the committed ones stay small. */
export const MAX_SCREENSHOT_BYTES = 400 * 1024;

/**
 * Run in the page: scrolls the Web UI's content containers (those as tall as half the window at least; menus and
 * code blocks scroll too, but are not the page) back to their top, and returns the window height that shows all
 * of their content. The Web UI scrolls inside its own container, so a "full page" screenshot shows one window.
 */
const CONTENT_HEIGHT_SCRIPT = `(() => {
  let tallest = document.documentElement.scrollHeight;
  for (const el of document.querySelectorAll('*')) {
    const overflow = getComputedStyle(el).overflowY;
    const scrolls = (overflow === 'auto' || overflow === 'scroll') && el.scrollHeight > el.clientHeight;
    if (scrolls && el.clientHeight >= window.innerHeight / 2) {
      el.scrollTop = 0;
      tallest = Math.max(tallest, el.getBoundingClientRect().top + el.scrollHeight);
    }
  }
  return Math.ceil(tallest);
})()`;

/** The part of a DOM element that {@link WebUiBrowser.screenshot} uses. */
interface ScrollsIntoView {
  scrollIntoView(options: { block: 'start' }): void;
}

/** How long a page may take to show the expected text. */
const PAGE_TIMEOUT_MS = 20_000;

/** The Web UI's address: global setup starts the dev server with its UI on a free port. */
export function webUiUrl(): string {
  const url = process.env.TEMPORAL_TEST_UI_URL?.trim();
  if (!url) {
    throw new Error(
      'TEMPORAL_TEST_UI_URL is not set: global setup sets it for the dev server it starts; with ' +
        'TEMPORAL_TEST_ADDRESS, set it to that server’s Web UI',
    );
  }
  return url.replace(/\/+$/, '');
}

/** Where this run writes its screenshots ({@link SCREENSHOTS_DIR_VARIABLE}, else a temporary directory). */
export function screenshotsDir(): string {
  const chosen = process.env[SCREENSHOTS_DIR_VARIABLE]?.trim();
  if (!chosen) return mkdtempSync(path.join(os.tmpdir(), 'runbook-scheduler-web-ui-'));
  const dir = path.resolve(PROJECT_ROOT, chosen);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** What a page shows once every expected text is there. */
export interface PageText {
  readonly page: Page;
  /** The visible text of the page and of its frames (the Web UI renders summaries in a frame), quotes straightened. */
  readonly text: string;
}

/** A browser on the Web UI; `close()` in `afterAll`. */
export interface WebUiBrowser {
  /**
   * Opens `route` (a path under the Web UI, e.g. `/namespaces/default/schedules/x`), runs `prepare` (e.g. opening
   * an accordion), and waits until the page's text holds every `expected` string.
   *
   * @throws the missing strings and the page's text, after a screenshot `failed-<name>.png`, when they do not all
   * appear within 20 s.
   */
  openAndWaitFor(
    name: string,
    route: string,
    expected: readonly string[],
    prepare?: (page: Page) => Promise<void>,
  ): Promise<PageText>;
  /**
   * Saves a screenshot of `page` as `<name>.png` and returns its path: scrolled to the top and as tall as its
   * content up to `maxHeight` pixels, or one window from the top of `from` (scrolled there).
   * @default maxHeight 900 (one window)
   * @throws when the file is larger than {@link MAX_SCREENSHOT_BYTES}.
   */
  screenshot(page: Page, name: string, options?: { maxHeight?: number; from?: Locator }): Promise<string>;
  readonly dir: string;
  close(): Promise<void>;
}

/** The visible text of a page and its frames, with the typographic quotes the UI's markdown adds made straight. */
async function visibleText(page: Page): Promise<string> {
  const texts = await Promise.all(
    page.frames().map((frame) =>
      frame
        .locator('body')
        .innerText({ timeout: 1_000 })
        .catch(() => ''),
    ),
  );
  return texts.join('\n').replace(/[“”]/g, '"').replace(/[‘’]/g, "'");
}

/** The browser window's size. */
const WINDOW = { width: 1280, height: 900 } as const;

/** Launches headless Chromium (no sandbox: the tests run as root) with a 1280x900 window. */
export async function launchWebUiBrowser(): Promise<WebUiBrowser> {
  const base = webUiUrl();
  const dir = screenshotsDir();
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  const context = await browser.newContext({ viewport: WINDOW, timezoneId: 'UTC' });

  const screenshot: WebUiBrowser['screenshot'] = async (page, name, options = {}) => {
    const file = path.join(dir, `${name}.png`);
    const content = await page.evaluate<number>(CONTENT_HEIGHT_SCRIPT);
    const height = Math.max(WINDOW.height, Math.min(content, options.maxHeight ?? WINDOW.height));
    await page.setViewportSize({ width: WINDOW.width, height });
    // Runs in the page (no DOM types here): scrolls the element's containers to put it at the window's top.
    if (options.from)
      await options.from.evaluate((el: ScrollsIntoView) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: file, animations: 'disabled' });
    const bytes = statSync(file).size;
    if (bytes > MAX_SCREENSHOT_BYTES) {
      throw new Error(`screenshot ${file} is ${bytes} bytes, above ${MAX_SCREENSHOT_BYTES}`);
    }
    return file;
  };

  return {
    dir,
    screenshot,
    openAndWaitFor: async (name, route, expected, prepare) => {
      const page = await context.newPage();
      await page.goto(`${base}${route}`);
      try {
        if (prepare) await prepare(page);
        let missing: string[] = [];
        let text = '';
        await waitFor(
          async () => {
            text = await visibleText(page);
            missing = expected.filter((wanted) => !text.includes(wanted));
            return missing.length === 0;
          },
          { timeoutMs: PAGE_TIMEOUT_MS, intervalMs: 250, description: `${name} shows its text` },
        ).catch((error: unknown) => {
          throw new Error(
            `${String(error)}\nmissing on ${page.url()}: ${JSON.stringify(missing)}\npage text:\n${text}`,
          );
        });
        return { page, text };
      } catch (error) {
        const failed = path.join(dir, `failed-${name.replace(/\W+/g, '-')}.png`);
        await page.screenshot({ path: failed, fullPage: true }).then(
          () => console.error(`[web-ui] what the page showed: ${failed}`),
          (shotError: unknown) => console.error(`[web-ui] no screenshot of ${name}: ${String(shotError)}`),
        );
        throw error;
      }
    },
    close: () => browser.close(),
  };
}
