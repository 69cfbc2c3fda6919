// Memory of process trees from /proc: the browser's processes are this node process's
// descendants. PSS (proportional set size) is summed, so memory shared between Chromium's
// processes is counted once.
import fs from 'node:fs';

function read(file) {
  try { return fs.readFileSync(file, 'utf8'); } catch { return ''; }
}

/** Every live descendant pid of `root`. */
export function descendants(root) {
  const children = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const stat = read(`/proc/${d}/stat`);
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(Number(d));
  }
  const out = [];
  const walk = (p) => (children.get(p) || []).forEach((c) => { out.push(c); walk(c); });
  walk(root);
  return out;
}

/** A `/proc/<pid>/status` field in kB (VmRSS, VmHWM). */
export function statusKb(pid, key) {
  const m = new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(read(`/proc/${pid}/status`));
  return m ? Number(m[1]) : 0;
}

function pssKb(pid) {
  const m = /^Pss:\s+(\d+)/m.exec(read(`/proc/${pid}/smaps_rollup`));
  return m ? Number(m[1]) : 0;
}

/** The browser's processes: our descendants that are Chromium (not the server or its ffmpeg). */
export function browserPids() {
  return descendants(process.pid).filter((p) => /chrom/.test(read(`/proc/${p}/cmdline`).split('\0')[0]));
}

/** The pid of the video-to-audio-server serving `url` among our descendants. */
export function serverPid() {
  return descendants(process.pid).find((p) => read(`/proc/${p}/cmdline`).includes('video-to-audio-server'));
}

/** Samples the summed PSS of `pids()` every 100 ms between start() and stop(). */
export class Sampler {
  constructor(pids) { this.pids = pids; }
  sample() { return this.pids().reduce((sum, p) => sum + pssKb(p), 0); }
  start() {
    this.startKb = this.sample();
    this.peakKb = this.startKb;
    this.timer = setInterval(() => { this.peakKb = Math.max(this.peakKb, this.sample()); }, 100);
  }
  stop() {
    clearInterval(this.timer);
    this.peakKb = Math.max(this.peakKb, this.sample());
    return { startKb: this.startKb, peakKb: this.peakKb };
  }
}
