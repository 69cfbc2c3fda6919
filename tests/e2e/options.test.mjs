// The options page. A token of the person's own: the connection test checks it, jobs spend its
// credits, and a token the server refuses is said plainly, never swapped for an anonymous one.
// A backend address that is not one is refused with a sentence, and nothing is saved.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser } from './lib/fixture.mjs';
import { makeVideo, probeAudio } from './lib/media.mjs';

const REFUSED = /^The server refused the token set in the extension's options \(.+\)\. Put a current token there, or clear the field to use a free anonymous one\.$/;

let browser;
let backend;
let work;
let fixture;

before(async () => {
  fixture = await serverAndBrowser('token');
  ({ browser, backend, work } = fixture);
});

after(async () => {
  await fixture?.close();
});

/** A token minted by the server for someone else (as a hosted account's token would be). */
async function ownToken() {
  const res = await fetch(`${backend.url}/api/auth/anonymous-token`, {
    method: 'POST',
    headers: { 'X-Client-Id': '7d1c3f5e-2b4a-4c6d-8e9f-0a1b2c3d4e5f' },
  });
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  return body.data.token;
}

async function creditsOf(token) {
  const res = await fetch(`${backend.url}/api/credits/balance/simple`, { headers: { Authorization: `Bearer ${token}` } });
  return (await res.json()).data.available;
}

/** Types `token` into Options, runs the connection test, saves; returns the test's sentence. */
async function setToken(token) {
  const options = await browser.context.newPage();
  await options.goto(`${browser.base}/options.html`);
  await options.waitForSelector('body[data-ready="true"]');
  await options.getByTestId('token').fill(token);
  await options.getByTestId('test-connection').click();
  const result = options.getByTestId('test-result');
  await result.filter({ hasNotText: /^Testing/ }).waitFor();
  const said = await result.textContent();
  await options.getByTestId('save').click();
  await options.getByTestId('saved').filter({ hasText: 'Saved' }).waitFor();
  await options.close();
  return said;
}

async function extract(seconds) {
  const before = (await browser.jobs()).length;
  const popup = await browser.openPopup();
  await popup.getByTestId('file-input').setInputFiles(await makeVideo(work, { seconds }));
  await popup.getByTestId('start').click();
  const [job] = await browser.waitForJobs(
    (jobs) => jobs.length > before && ['done', 'error'].includes(jobs[0].state) && jobs,
    { what: 'the job to end' },
  );
  return { popup, job };
}

test('a token of your own is checked by the connection test and its credits are the ones spent', async () => {
  const token = await ownToken();
  assert.match(await setToken(token), /^Connected: server .*\. Your token works: 100 credits available\.$/);
  const { popup, job } = await extract(2);
  assert.equal(job.state, 'done', JSON.stringify(job.error));
  const saved = await browser.waitForDownload(job.id);
  assert.equal((await probeAudio(saved)).codec, 'mp3');
  assert.equal(await creditsOf(token), 99, 'the job was paid from this token');
  const { auth } = await browser.control.evaluate(() => chrome.storage.local.get('auth'));
  assert.ok(!auth || auth.token !== token, 'the token stays in the settings, not copied into "auth"');
  await popup.close();
});

test('a token the server refuses is said plainly, with what to do, and never swapped', async () => {
  assert.match(await setToken('not-a-real-token'), REFUSED);
  const { popup, job } = await extract(1);
  assert.equal(job.state, 'error');
  assert.equal(job.error.code, 1001);
  assert.match(job.error.message, REFUSED);
  await popup.getByTestId('error').filter({ hasText: REFUSED }).waitFor();
  // The footer says it too, on the next opening, before anything is tried.
  const again = await browser.openPopup();
  await again.getByTestId('credits').filter({ hasText: /your token was refused: change it in Options/ }).waitFor();
  await again.close();
  await popup.close();
});

test('clearing the refused token goes back to a free anonymous one', async () => {
  assert.match(await setToken(''), /^Connected: server /);
  const { popup, job } = await extract(1);
  assert.equal(job.state, 'done', JSON.stringify(job.error));
  const { auth } = await browser.control.evaluate(() => chrome.storage.local.get('auth'));
  assert.ok(auth.token && auth.token !== 'not-a-real-token', 'an anonymous token was acquired and kept');
  await popup.close();
});

test('an address that is not a web address is refused with a sentence, and nothing is saved', async () => {
  const options = await browser.context.newPage();
  await options.goto(`${browser.base}/options.html`);
  await options.waitForSelector('body[data-ready="true"]');
  for (const typed of ['localhost:8787', 'ftp://127.0.0.1/', 'not an address']) {
    // Cleared, so each sentence below is this address's, not the one before's.
    await options.evaluate(() => {
      document.getElementById('test-result').textContent = '';
      document.getElementById('saved').textContent = '';
    });
    await options.getByTestId('backend-url').fill(typed);
    await options.getByTestId('test-connection').click();
    await options.getByTestId('test-result').filter({ hasText: 'Enter an address that starts with http:// or https://.' }).waitFor();
    await options.getByTestId('save').click();
    await options.getByTestId('saved').filter({ hasText: 'Enter an address that starts with http:// or https://.' }).waitFor();
  }
  const { settings } = await browser.control.evaluate(() => chrome.storage.local.get('settings'));
  assert.equal(settings.backendUrl, backend.url, 'the working address stays');

  // A trailing slash is tidied away; the "Local server" preset puts the default back.
  await options.getByTestId('backend-url').fill(`${backend.url}/`);
  await options.getByTestId('save').click();
  await options.getByTestId('saved').filter({ hasText: 'Saved' }).waitFor();
  assert.equal(await options.getByTestId('backend-url').inputValue(), backend.url);
  await options.locator('#preset-local').click();
  assert.equal(await options.getByTestId('backend-url').inputValue(), 'http://127.0.0.1:8787');
  await options.close();
});
