/**
 * page-videos.js — the page probe. The popup injects `listPageVideos` into every frame of the
 * tab with chrome.scripting.executeScript (allFrames), only when the user opens the popup, so the
 * extension needs no content script that runs on every page. The function is serialized: it must
 * not use anything from this module's scope.
 */

/** The frame's <video> elements as PageVideo objects (see messages.js). */
export function listPageVideos() {
  const THUMB_WIDTH = 96;
  const abs = (u) => {
    try {
      return u ? new URL(u, document.baseURI).href : '';
    } catch {
      return '';
    }
  };
  // A small still: the current frame when the page lets us read it, else the poster.
  const thumbnail = (video) => {
    if (video.readyState >= 2 && video.videoWidth > 0) {
      try {
        const canvas = document.createElement('canvas');
        canvas.width = THUMB_WIDTH;
        canvas.height = Math.max(1, Math.round((THUMB_WIDTH * video.videoHeight) / video.videoWidth));
        canvas.getContext('2d').drawImage(video, 0, 0, canvas.width, canvas.height);
        return canvas.toDataURL('image/jpeg', 0.7);
      } catch {
        // A cross-origin video taints the canvas: fall back to the poster.
      }
    }
    return '';
  };
  return Array.from(document.querySelectorAll('video')).map((video) => {
    const sources = Array.from(video.querySelectorAll('source'))
      .map((s) => ({ src: abs(s.getAttribute('src')), type: s.type || '' }))
      .filter((s) => s.src);
    const src = video.currentSrc || abs(video.getAttribute('src')) || (sources[0] && sources[0].src) || '';
    return {
      src,
      sources,
      poster: abs(video.getAttribute('poster')),
      thumbnail: thumbnail(video),
      duration: Number.isFinite(video.duration) ? video.duration : null,
      width: video.videoWidth || null,
      height: video.videoHeight || null,
      title: document.title || '',
      frameUrl: location.href,
      streamed: /^(blob|mediasource):/i.test(src),
    };
  });
}
