/**
 * popup-job.js — how a job record (see messages.js) looks in the popup: its title, the
 * progress bar and line, and the list of recent jobs.
 */
import { t, formatBytes, formatDuration } from './i18n.js';
import { serverReasonSentence } from './settings.js';

/** What the job works on: the file's name, else the page title or the video's URL. */
export function jobTitle(job) {
  const s = job.source || {};
  if (s.kind === 'file') return s.name;
  if (s.kind === 'session') return t('jobExportTitle');
  return s.title || s.url || '';
}

/** The progress bar's value (0..100) and the line under it, for a job record. */
export function progressOf(job) {
  const pct = (n) => Math.max(0, Math.min(100, Math.round(n)));
  switch (job.state) {
    case 'queued':
      return { value: 0, text: t('stateQueued') };
    case 'uploading': {
      if (job.stage === 'connecting') return { value: 0, text: t('stateConnecting') };
      if (job.stage === 'fetching') {
        const { received = 0, total = 0 } = job.fetched || {};
        if (!received) return { value: 0, text: t('stateFetching') };
        // Unknown length (a stream without Content-Length): the amount alone, no bar.
        const shown = total ? `${formatBytes(received)} / ${formatBytes(total)}` : formatBytes(received);
        return { value: total ? pct((received / total) * 100) : 0, text: t('stateFetchingBytes', [shown]) };
      }
      if (job.stage === 'server-fetching') return { value: 0, text: t('stateServerFetching') };
      const { sent = 0, total = 0 } = job.upload || {};
      const p = total ? pct((sent / total) * 100) : 0;
      return { value: p, text: t('stateUploading', [formatBytes(sent), formatBytes(total), String(p)]) };
    }
    case 'processing': {
      const p = pct((job.progress || 0) * 100);
      if (job.stage === 'local') {
        // The engine's own figures: sound made so far, and how little of the file it read.
        const e = job.engine || {};
        return { value: p, text: t('stateLocal', [String(p), formatDuration(e.secondsDone || 0) || '0:00', formatBytes(e.bytesRead || 0)]) };
      }
      const still = job.stillWorkingAt ? ` ${t('stillWorking')}` : '';
      // The server's stage names (see server/src/media), in the user's language when known.
      const stage = job.stage ? chrome.i18n.getMessage(`stage_${job.stage}`) || job.stage : '';
      return { value: p, text: t('stateProcessing', [String(p)]) + (stage ? ` — ${stage}` : '') + still };
    }
    case 'done': {
      const d = job.download;
      if (d && d.state === 'complete') return { value: 100, text: t('stateSaved', [String(d.filename || '').split(/[\\/]/).pop()]) };
      if (d && d.state === 'interrupted') {
        // Gone from the server (past its retention, or removed): another try cannot work.
        if (d.reason === 'EXPIRED' || d.reason === 'SERVER_BAD_CONTENT') return { value: 100, text: t('errorResultExpired') };
        return { value: 100, text: t('stateDownloadInterrupted') };
      }
      return { value: 100, text: t('stateDone') };
    }
    case 'cancelled':
      return { value: 0, text: t('stateCancelled') };
    default:
      return { value: 0, text: '' };
  }
}

/**
 * Where a job ran or runs, for a person: on this computer (nothing uploaded), or on the server
 * and why; '' while that is not decided yet.
 */
export function whereOf(job) {
  if (job.where === 'local') return job.state === 'done' ? t('whereLocalDone') : t('whereLocal');
  if (job.where === 'server' && job.serverReason && job.serverReason !== 'settingServer') {
    return t('whereServerBecause', [serverReasonSentence(job.serverReason, job.serverReasonText)]);
  }
  return '';
}

/**
 * Fills `list` with the jobs, newest first: a button to show each one (`onShow(job)`), its state,
 * what was asked, when, and "Download again" for finished ones (`onDownload(job)`).
 */
export function renderHistory(list, jobs, { onShow, onDownload }) {
  list.replaceChildren(
    ...jobs.map((job) => {
      const li = document.createElement('li');
      const name = document.createElement('button');
      name.type = 'button';
      name.textContent = jobTitle(job) || job.id;
      name.addEventListener('click', () => onShow(job));
      const meta = document.createElement('div');
      meta.className = 'meta';
      meta.textContent = [t(`history_${job.state}`), job.summary, new Date(job.createdAt).toLocaleString()]
        .filter(Boolean)
        .join(' · ');
      li.append(name, meta);
      if (job.state === 'done') {
        const again = document.createElement('button');
        again.type = 'button';
        again.textContent = t('downloadAgain');
        again.addEventListener('click', () => onDownload(job));
        li.append(' ', again);
      }
      return li;
    }),
  );
}
