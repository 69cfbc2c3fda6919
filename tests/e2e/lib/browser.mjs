// Debian's Chromium, headless (new mode, which runs extensions), with the unpacked extension.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { EXTENSION, SCREENSHOTS, tempDir } from './paths.mjs';

const CHROMIUM = process.env.V2A_CHROMIUM || '/usr/bin/chromium';

/**
 * Launches Chromium with the extension and a download directory (and the UI language `lang`,
 * e.g. "zh-CN"). Resolves to a handle with the helpers the tests share; `close()` ends the
 * browser and removes the profile.
 */
export async function launch({ lang } = {}) {
  const profile = tempDir('profile');
  const downloads = tempDir('downloads');
  // The download directory is a profile preference, written before the first start.
  fs.mkdirSync(path.join(profile, 'Default'), { recursive: true });
  fs.writeFileSync(
    path.join(profile, 'Default/Preferences'),
    JSON.stringify({ download: { default_directory: downloads, prompt_for_download: false, directory_upgrade: true } }),
  );
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    // Extensions need Chromium's new headless mode, asked for in the arguments.
    headless: false,
    acceptDownloads: false,
    viewport: { width: 380, height: 640 },
    ...(lang ? { locale: lang } : {}),
    args: [
      '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--no-first-run',
      '--autoplay-policy=no-user-gesture-required',
      `--disable-extensions-except=${EXTENSION}`, `--load-extension=${EXTENSION}`,
      ...(lang ? [`--lang=${lang}`] : []),
    ],
  });
  let [worker] = context.serviceWorkers();
  worker ??= await context.waitForEvent('serviceworker', { timeout: 15_000 });
  const extId = new URL(worker.url()).host;
  const base = `chrome-extension://${extId}`;

  // An extension page the tests use to read chrome.storage and to talk CDP: it reads storage
  // directly, so it works whether the service worker is running or stopped.
  const control = await context.newPage();
  await control.goto(`${base}/options.html`);
  const cdp = await context.newCDPSession(control);
  // Playwright denies downloads when it does not collect them itself; give them back to the
  // browser, which saves them under the profile's download directory with the extension's name.
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'default' });

  const h = {
    context,
    extId,
    base,
    downloads,
    control,

    /**
     * Sets the backend on the options page, as a person would, and saves it. `where: 'server'`
     * also chooses "Always use the server" (tests of the server path: with the default, jobs the
     * engine can do run on this computer instead).
     */
    async configureBackend(url, { where } = {}) {
      const page = await context.newPage();
      await page.goto(`${base}/options.html`);
      await page.waitForSelector('body[data-ready="true"]');
      await page.getByTestId('backend-url').fill(url);
      if (where === 'server') await page.getByTestId('always-server').check();
      if (where === 'local') await page.getByTestId('process-locally').check();
      await page.getByTestId('save').click();
      await page.getByTestId('saved').filter({ hasText: 'Saved' }).waitFor();
      return page;
    },

    /** The popup as a tab, acting on tab `tabId` when given. */
    async openPopup(tabId) {
      const page = await context.newPage();
      await page.goto(`${base}/popup.html${tabId ? `?tab=${tabId}` : ''}`);
      // Ready, or stopped by an engine that does not load (a broken extension/pkg build).
      await page.waitForSelector('body[data-ready="true"], body[data-engine="failed"]', { timeout: 10_000 });
      if (await page.$('body[data-engine="failed"]')) {
        throw new Error(`the popup could not load the wasm client: ${await page.getByTestId('error').textContent()}`
          + ' — rebuild extension/pkg (see tests/e2e/README.md)');
      }
      return page;
    },

    /** The id chrome.tabs gives the tab showing `url`. */
    async tabIdOf(url) {
      const tabs = await control.evaluate((u) => chrome.tabs.query({ url: u }), url);
      if (!tabs.length) throw new Error(`no tab shows ${url}`);
      return tabs[0].id;
    },

    /** The job records (newest first). */
    jobs() {
      return control.evaluate(async () => (await chrome.storage.local.get('jobs')).jobs || []);
    },

    /** Polls the job records until `predicate(jobs)` returns something truthy, and returns it. */
    async waitForJobs(predicate, { timeout = 60_000, what = 'job condition' } = {}) {
      const end = Date.now() + timeout;
      let jobs = [];
      while (Date.now() < end) {
        jobs = await h.jobs();
        const found = predicate(jobs);
        if (found) return found;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`timed out waiting for ${what}; jobs: ${JSON.stringify(jobs, null, 1).slice(0, 3000)}`);
    },

    /** Waits until job `jobId`'s download completed; resolves to the saved file's path. */
    async waitForDownload(jobId, timeout = 60_000) {
      const job = await h.waitForJobs(
        (jobs) => {
          const j = jobs.find((x) => x.id === jobId);
          if (j && j.state === 'error') throw new Error(`job failed: ${j.error && j.error.message}`);
          return j && j.download && j.download.state === 'complete' ? j : null;
        },
        { timeout, what: `the download of ${jobId}` },
      );
      const file = job.download.filename;
      if (!path.isAbsolute(file)) return path.join(downloads, file);
      return file;
    },

    /**
     * Stops every service worker (as Chrome does after 30 s idle); resolves once Chrome reports
     * ours stopped. The runner's next message may start it again at once, so "stopped" is told
     * by that report, not by looking for a running worker afterwards.
     */
    async stopServiceWorker() {
      const old = await h.worker();
      await old.evaluate(() => {
        globalThis.stoppedByTest = true; // a restarted worker will not have this
      });
      const stopped = new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the service worker did not stop')), 10_000);
        const onUpdate = ({ versions }) => {
          if (versions.some((v) => v.scriptURL.startsWith(base) && v.runningStatus === 'stopped')) {
            clearTimeout(timer);
            cdp.off('ServiceWorker.workerVersionUpdated', onUpdate);
            resolve();
          }
        };
        cdp.on('ServiceWorker.workerVersionUpdated', onUpdate);
      });
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
      await stopped;
    },

    /** True when the running worker started after the last stopServiceWorker(). */
    async workerIsFresh() {
      const w = await h.worker();
      return (await w.evaluate(() => globalThis.stoppedByTest)) !== true;
    },

    /** The live service worker (waking it by a message from an extension page if needed). */
    async worker() {
      const live = context.serviceWorkers().find((w) => w.url().startsWith(base));
      if (live) return live;
      const waiting = context.waitForEvent('serviceworker', { timeout: 10_000 });
      await control.evaluate(() => chrome.runtime.sendMessage({ type: 'wake-up' }).catch(() => {}));
      return waiting;
    },

    async close() {
      await context.close().catch(() => {});
      fs.rmSync(profile, { recursive: true, force: true });
      fs.rmSync(downloads, { recursive: true, force: true });
    },
  };
  return h;
}

/** Saves a screenshot of `page` as <name>.png (docs/screenshots with V2A_SCREENSHOTS=1). */
export async function screenshot(page, name) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  // Let transitions (the progress bar) settle so the picture shows the state it claims.
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
