/**
 * popup-videos.js — the popup's list of page videos: asks every frame of the tab with the page
 * probe (page-videos.js) and builds the keyboard-usable entries.
 */
import { t, formatDuration } from './i18n.js';
import { listPageVideos } from './page-videos.js';
import { lastSegment } from './names.js';

/**
 * The tab's videos (PageVideo, see messages.js), without duplicates; throws when the page
 * cannot be read (chrome:// pages, the web store, pages without access).
 */
export async function findPageVideos(tabId) {
  const results = await chrome.scripting.executeScript({ target: { tabId, allFrames: true }, func: listPageVideos });
  const found = [];
  const seen = new Set();
  for (const r of results) {
    for (const v of r.result || []) {
      const key = v.src || `${v.frameUrl}#${seen.size}`;
      if (!seen.has(key)) {
        seen.add(key);
        found.push(v);
      }
    }
  }
  return found;
}

function videoName(v) {
  return lastSegment(v.src) || v.title || t('untitledVideo');
}

/** The list entry (role radio) for `v`; `onChoose(li, v)` runs when it is picked. */
export function videoItem(v, onChoose) {
  const li = document.createElement('li');
  li.className = 'video';
  li.dataset.testid = 'page-video';
  li.setAttribute('role', 'radio');
  li.setAttribute('aria-checked', 'false');
  li.tabIndex = 0;
  const img = document.createElement('img');
  img.className = 'thumb';
  img.alt = '';
  if (v.thumbnail || v.poster) img.src = v.thumbnail || v.poster;
  const text = document.createElement('div');
  const name = document.createElement('div');
  name.className = 'name';
  name.textContent = videoName(v);
  const meta = document.createElement('div');
  meta.className = 'meta';
  let host = '';
  try {
    host = v.streamed ? new URL(v.frameUrl).host : new URL(v.src).host;
  } catch {
    host = '';
  }
  meta.textContent = [formatDuration(v.duration), v.width && v.height ? `${v.width}×${v.height}` : '', host]
    .filter(Boolean)
    .join(' · ');
  text.append(name, meta);
  if (v.streamed) {
    const warn = document.createElement('div');
    warn.className = 'warn';
    warn.textContent = t('streamedShort');
    text.append(warn);
  }
  li.append(img, text);
  li.title = v.src || v.frameUrl;
  const choose = () => onChoose(li, v);
  li.addEventListener('click', choose);
  li.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      choose();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = e.key === 'ArrowDown' ? li.nextElementSibling : li.previousElementSibling;
      if (next) next.focus();
    }
  });
  return li;
}
