// A stand-in for the hosted Video to Audio service, written from its public description alone
// (/work/shared/reference/video-to-audio-service.md), not from this project's server: only the
// endpoints it lists, answers that assume a GUI ("Click Export to download your MP3."), streams
// that close without a word on a schedule (it says about 30% of edits do), an export that takes
// a few seconds and speaks in other status words and link fields than ours, 402 on an export
// without the X-Skill-* headers, and no /healthz. ffmpeg makes the exported audio from the upload.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The description's accepted file types. */
const ACCEPTED = ['mp4', 'mov', 'avi', 'webm', 'mkv', 'jpg', 'png', 'gif', 'webp', 'mp3', 'wav', 'm4a', 'aac'];
/** X-Skill-Platform values the description names. */
const PLATFORMS = ['clawhub', 'cursor', 'unknown'];
/** How each export speaks, in turn: its status words and where it puts the link. */
const STYLES = [
  { key: 'status', running: 'processing', done: 'completed', link: (u) => ({ download_url: u }) },
  { key: 'state', running: 'rendering', done: 'success', link: (u) => ({ output: { url: u } }) },
  { key: 'status', running: 'pending', done: 'done', link: (u) => ({ result: { url: u } }) },
  { key: 'status', running: 'queued', done: 'finished', link: (u) => ({ output_url: u }) },
  { key: 'status', running: 'processing', done: 'completed', link: (u) => ({ url: u }) },
];

const envelope = (data) => ({ code: 0, message: 'success', data });

/**
 * Starts the fake on 127.0.0.1:0. Options: `dir` (where uploads and exports go), `exportMs`
 * (how long an export takes), `silentRuns` (which runs of a session, counted from 1, close the
 * stream without text), `editDelayMs` (how long after a silent stream its edit lands),
 * `credits` (each run costs one), `freePlan` (every export is refused with 402, as for a plan
 * without exports). Resolves to {url, requests, sessions, close()}.
 */
export async function startFakeHosted({ dir, exportMs = 3000, silentRuns = [], editDelayMs = 2500, credits = 100, freePlan = false } = {}) {
  fs.mkdirSync(path.join(dir, 'uploads'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'exports'), { recursive: true });
  const tokens = new Map(); // token → {clientId, credits}
  const sessions = new Map(); // sid → {token, uploads, draft, runs, language}
  const renders = new Map(); // id → {startedAt, file, style, error}
  const requests = [];
  let renderCount = 0;
  let url = '';

  const send = (res, status, body, headers = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*', ...headers });
    res.end(JSON.stringify(body));
  };
  const readBody = (req) => new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

  async function probeMs(file) {
    try {
      const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]);
      return Math.round(Number(stdout.trim()) * 1000) || null;
    } catch {
      return null;
    }
  }

  async function upload(req, res, session) {
    const type = req.headers['content-type'] || '';
    const body = await readBody(req);
    let name;
    let bytes;
    if (type.startsWith('application/json')) {
      const { url: from, name: given } = JSON.parse(String(body));
      const got = await fetch(from);
      if (!got.ok) return send(res, 200, { code: 4001, message: `Could not download ${from}.`, data: null });
      bytes = Buffer.from(await got.arrayBuffer());
      name = given || decodeURIComponent(new URL(from).pathname.split('/').pop() || 'video.mp4');
      if (!/\.[a-z0-9]{2,4}$/i.test(name)) name += '.mp4';
    } else {
      const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(type);
      if (!boundary) return send(res, 400, { code: 400, message: 'Expected multipart/form-data.', data: null });
      const marker = Buffer.from(`--${boundary[1] || boundary[2]}`);
      let at = body.indexOf(marker);
      while (at >= 0 && !bytes) {
        const next = body.indexOf(marker, at + marker.length);
        if (next < 0) break;
        const part = body.subarray(at + marker.length + 2, next - 2);
        const split = part.indexOf('\r\n\r\n');
        const head = String(part.subarray(0, split));
        const file = /filename="([^"]*)"/.exec(head);
        if (file) {
          name = file[1];
          bytes = part.subarray(split + 4);
        }
        at = next;
      }
      if (!bytes) return send(res, 400, { code: 400, message: 'No file in the upload.', data: null });
    }
    const ext = (name.split('.').pop() || '').toLowerCase();
    if (!ACCEPTED.includes(ext)) {
      return send(res, 200, { code: 4001, message: `Unsupported file type. Accepted: ${ACCEPTED.join(', ')}.`, data: null });
    }
    const id = `vid_${crypto.randomBytes(6).toString('hex')}`;
    const file = path.join(dir, 'uploads', `${id}.${ext}`);
    fs.writeFileSync(file, bytes);
    const ms = await probeMs(file);
    session.uploads.push({ id, name, file, ms });
    // The video goes on the timeline's video track at once.
    let video = session.draft.t.find((t) => t.tt === 0);
    if (!video) session.draft.t.unshift((video = { tt: 0, sg: [] }));
    video.sg = [{ id, n: name, s: 0, d: ms }];
    // Only what the description promises: an id and a name.
    send(res, 200, envelope({ video_id: id, file_name: name }));
  }

  /** The edit an extraction makes: the upload's audio on an audio track. */
  function extractEdit(session) {
    const source = session.uploads.at(-1);
    session.draft.t = session.draft.t.filter((t) => t.tt !== 1);
    session.draft.t.push({ tt: 1, m: { name: 'Audio' }, sg: [{ id: `aud_${source.id}`, n: source.name.replace(/\.[^.]+$/, '.mp3'), s: 0, d: source.ms, m: { src: source.id } }] });
  }

  async function runSse(body, res, session, token) {
    const text = (body.new_message && body.new_message.parts && body.new_message.parts[0] && body.new_message.parts[0].text) || '';
    if (token.credits <= 0) {
      return send(res, 200, { code: 2001, message: `Out of credits. Register at ${url}/register?bind=${token.clientId} to get more.`, data: null });
    }
    session.runs += 1;
    token.credits -= 1;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'access-control-allow-origin': '*' });
    const event = (data) => res.write(`data: ${JSON.stringify(data)}\n\n`);
    const zh = /[\u4e00-\u9fff]/.test(text);
    const say = (t) => event({ author: 'nemo_agent', content: { role: 'model', parts: [{ text: t }] } });
    res.write('data:\n\n'); // a heartbeat
    if (!session.uploads.length) {
      say(zh ? '请先上传一个视频。' : 'Please upload a video first, then tell me what you want.');
      return res.end();
    }
    if (silentRuns.includes(session.runs)) {
      // The stream closes without a word; the edit lands a little later.
      setTimeout(() => extractEdit(session), editDelayMs);
      setTimeout(() => res.end(), 300);
      return;
    }
    event({ author: 'nemo_agent', content: { role: 'model', parts: [{ functionCall: { name: 'edit_timeline', args: { op: 'extract_audio' } } }] } });
    await new Promise((r) => setTimeout(r, 300));
    extractEdit(session);
    say(zh ? '已将音轨提取到时间线。点击导出按钮即可下载 MP3。' : "I've extracted the audio track to the timeline. Click Export to download your MP3.");
    res.end();
  }

  async function startRender(req, res) {
    // The description: "If any header is missing, exports return 402."
    const source = req.headers['x-skill-source'];
    const version = req.headers['x-skill-version'];
    const platform = req.headers['x-skill-platform'];
    if (freePlan || source !== 'video-to-audio' || !version || !PLATFORMS.includes(platform)) {
      return send(res, 402, { code: 402, message: 'Export is not available on the free plan.', data: null });
    }
    const body = JSON.parse(String(await readBody(req)) || '{}');
    const session = sessions.get(body.sessionId);
    if (!session) return send(res, 200, { code: 1002, message: 'Session not found.', data: null });
    const audio = ((body.draft && body.draft.t) || []).find((t) => t.tt === 1);
    const segment = audio && audio.sg && audio.sg[0];
    const upload = segment && session.uploads.find((u) => u.id === (segment.m && segment.m.src));
    const style = STYLES[renderCount++ % STYLES.length];
    const id = String(body.id || `render_${Date.now()}`);
    const format = (body.output && body.output.format) || 'mp4';
    const render = { startedAt: Date.now(), style, file: null, error: null };
    renders.set(id, render);
    if (!upload) {
      render.error = 'There is no audio on the timeline to export.';
    } else {
      const ext = ['mp3', 'wav', 'm4a', 'flac', 'ogg', 'opus'].includes(format) ? format : 'mp3';
      const out = path.join(dir, 'exports', `${id}-${segment.n.replace(/\.[^.]+$/, '')}.${ext}`);
      run('ffmpeg', ['-v', 'error', '-y', '-i', upload.file, '-vn', out])
        .then(() => { render.file = out; })
        .catch((e) => { render.error = `The render node failed (${e.message.split('\n')[0]}).`; });
    }
    send(res, 200, envelope({ id, [style.key]: 'queued' }));
  }

  function renderStatus(res, id) {
    const render = renders.get(id);
    if (!render) return send(res, 404, { code: 404, message: 'No such render.', data: null });
    const { style } = render;
    const elapsed = Date.now() - render.startedAt;
    if (render.error && elapsed >= exportMs / 2) return send(res, 200, envelope({ id, [style.key]: 'failed', error: render.error }));
    if (elapsed < exportMs || !render.file) {
      return send(res, 200, envelope({ id, [style.key]: style.running, progress: Math.min(99, Math.round((elapsed / exportMs) * 100)) }));
    }
    const link = `${url}/files/${encodeURIComponent(path.basename(render.file))}`;
    send(res, 200, envelope({ id, [style.key]: style.done, progress: 100, ...style.link(link) }));
  }

  const server = http.createServer(async (req, res) => {
    const { pathname } = new URL(req.url, 'http://x');
    requests.push({ method: req.method, path: pathname, headers: { ...req.headers } });
    try {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*', 'access-control-allow-methods': 'GET, POST' });
        return res.end();
      }
      if (req.method === 'GET' && pathname.startsWith('/files/')) {
        const file = path.join(dir, 'exports', path.basename(decodeURIComponent(pathname.slice(7))));
        if (!fs.existsSync(file)) return send(res, 404, { code: 404, message: 'Not found.', data: null });
        res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': fs.statSync(file).size, 'access-control-allow-origin': '*' });
        return fs.createReadStream(file).pipe(res);
      }
      if (req.method === 'POST' && pathname === '/api/auth/anonymous-token') {
        const clientId = req.headers['x-client-id'];
        if (!clientId) return send(res, 400, { code: 400, message: 'Missing X-Client-Id.', data: null });
        const token = `nmt_${crypto.randomBytes(12).toString('hex')}`;
        tokens.set(token, { clientId, credits });
        return send(res, 200, envelope({ token, credits }));
      }
      const token = tokens.get(String(req.headers.authorization || '').replace(/^Bearer /, ''));
      if (!token) return send(res, 401, { code: 1001, message: 'Token expired or invalid.', data: null });
      if (req.method === 'POST' && pathname === '/api/tasks/me/with-session/nemo_agent') {
        const body = JSON.parse(String(await readBody(req)) || '{}');
        const sid = crypto.randomUUID();
        sessions.set(sid, { token, uploads: [], draft: { t: [] }, runs: 0, language: body.language });
        return send(res, 200, envelope({ session_id: sid }));
      }
      if (req.method === 'GET' && pathname === '/api/credits/balance/simple') {
        return send(res, 200, envelope({ available: token.credits, frozen: 0, total: token.credits }));
      }
      if (req.method === 'POST' && pathname === '/api/render/proxy/lambda') return startRender(req, res);
      if (req.method === 'GET' && pathname.startsWith('/api/render/proxy/lambda/')) return renderStatus(res, pathname.split('/').pop());
      const sid = (/^\/api\/(?:upload-video|state)\/nemo_agent\/me\/([^/]+)/.exec(pathname) || [])[1];
      if (req.method === 'POST' && pathname === '/run_sse') {
        const body = JSON.parse(String(await readBody(req)) || '{}');
        const session = sessions.get(body.session_id);
        if (!session || session.token !== token) return send(res, 200, { code: 1002, message: 'Session not found.', data: null });
        return runSse(body, res, session, token);
      }
      if (sid !== undefined) {
        const session = sessions.get(sid);
        if (!session || session.token !== token) return send(res, 200, { code: 1002, message: 'Session not found.', data: null });
        if (req.method === 'POST' && pathname.startsWith('/api/upload-video/')) return upload(req, res, session);
        if (req.method === 'GET' && pathname.endsWith('/latest')) {
          const videoInfos = session.uploads.map((u) => ({ id: u.id, name: u.name }));
          return send(res, 200, envelope({ draft: session.draft, video_infos: videoInfos, generated_media: [] }));
        }
      }
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
    } catch (e) {
      if (!res.headersSent) send(res, 500, { code: 500, message: String(e && e.message), data: null });
      else res.end();
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    requests,
    sessions,
    close: () => new Promise((r) => {
      server.close(r);
      server.closeAllConnections();
    }),
  };
}
