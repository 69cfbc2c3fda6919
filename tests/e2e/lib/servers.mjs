// The real backend binary on loopback, and a tiny web server for test pages with videos.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import readline from 'node:readline';
import { REPO } from './paths.mjs';

/** The server binary: $V2A_SERVER_BIN, else the debug build (built here when missing). */
export function serverBinary() {
  const bin = process.env.V2A_SERVER_BIN || path.join(REPO, 'target/debug/video-to-audio-server');
  if (!fs.existsSync(bin)) {
    const r = spawnSync('cargo', ['build', '-p', 'video-to-audio-server'], { cwd: REPO, stdio: 'inherit' });
    if (r.status !== 0 || !fs.existsSync(bin)) throw new Error(`could not build ${bin}`);
  }
  return bin;
}

/**
 * Starts `video-to-audio-server --listen 127.0.0.1:0 --data-dir <dataDir>` and resolves once it
 * prints its address: {url, dataDir, stop(), kill()}. `listen` binds another address (the same
 * port again, to restart a killed server).
 */
export async function startBackend(dataDir, extraArgs = [], { listen = '127.0.0.1:0' } = {}) {
  fs.mkdirSync(dataDir, { recursive: true });
  const proc = spawn(serverBinary(), ['--listen', listen, '--data-dir', dataDir, '--jobs', '1', ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG || 'warn' },
  });
  const log = [];
  proc.stderr.on('data', (d) => log.push(String(d)));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 30 s:\n${log.join('')}`)), 30_000);
    proc.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${log.join('')}`)));
    readline.createInterface({ input: proc.stdout }).on('line', (line) => {
      const m = /listening on (http:\/\/\S+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1].replace(/\/$/, ''));
      }
    });
  });
  return {
    url,
    dataDir,
    log,
    async stop() {
      if (proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
    /** SIGKILL, as a crash or the OOM killer would: no chance to clean up. */
    async kill() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGKILL');
      await exited;
    },
  };
}

/** Regular files under `dir` (recursively), as paths relative to it. */
export function filesUnder(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true }).filter((f) => fs.statSync(path.join(dir, f)).isFile());
}

/**
 * A gate for a file route: a request that is not from a browser (the backend fetching a video by
 * URL) gets the first half of the file, then waits until `open()`. `reached` resolves when the
 * first half was sent; `held` is true from then until `open()`. A job held there is mid-job by
 * construction, however fast the machine.
 */
export function makeGate() {
  let arrive;
  let release;
  const gate = {
    held: false,
    reached: new Promise((r) => { arrive = r; }),
    opened: new Promise((r) => { release = r; }),
    arrive() {
      gate.held = true;
      arrive();
    },
    open() {
      gate.held = false;
      release();
    },
  };
  return gate;
}

/**
 * A web server on 127.0.0.1 for test pages: `routes` maps a path to {file, type} (served with
 * Range support, as browsers expect for media; `onRequest(req)` is told of each request; `gate`
 * from makeGate() holds the backend's download halfway; `cut` sends half and drops the
 * connection), {endless: true, type} (zeros without end, counting `sent`) or {body, type}.
 * Resolves to {url, close()}.
 */
export async function startPageServer(routes) {
  const server = http.createServer((req, res) => {
    const route = routes[new URL(req.url, 'http://x').pathname];
    if (!route) {
      res.writeHead(404).end('not found');
      return;
    }
    if (route.body !== undefined) {
      res.writeHead(200, { 'content-type': route.type || 'text/html; charset=utf-8' }).end(route.body);
      return;
    }
    if (route.onRequest) route.onRequest(req);
    if (route.endless) {
      // A live stream: no Content-Length, zeros for as long as the reader keeps reading.
      // `route.sent` counts what went out, to tell when the reader stopped.
      route.sent = 0;
      res.writeHead(200, { 'content-type': route.type || 'video/mp4' });
      const chunk = Buffer.alloc(1024 * 1024);
      const pump = () => {
        let room = true;
        while (!res.destroyed && room) {
          room = res.write(chunk);
          route.sent += chunk.length;
        }
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('close', () => res.removeAllListeners('drain'));
      pump();
      return;
    }
    const size = fs.statSync(route.file).size;
    const range = /bytes=(\d*)-(\d*)/.exec(req.headers.range || '');
    const headers = { 'content-type': route.type || 'application/octet-stream', 'accept-ranges': 'bytes' };
    if (range) {
      const start = range[1] ? Number(range[1]) : 0;
      const end = range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
      res.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${end}/${size}`, 'content-length': end - start + 1 });
      fs.createReadStream(route.file, { start, end }).pipe(res);
    } else if (route.cut) {
      // Promises the whole file, sends half, then drops the connection.
      res.writeHead(200, { ...headers, 'content-length': size });
      res.write(fs.readFileSync(route.file).subarray(0, Math.floor(size / 2)), () => res.destroy());
    } else if (route.gate && !/Mozilla/.test(req.headers['user-agent'] || '')) {
      const { gate } = route;
      const half = Math.floor(size / 2);
      res.writeHead(200, { ...headers, 'content-length': size });
      res.write(fs.readFileSync(route.file).subarray(0, half), () => gate.arrive());
      gate.opened.then(() => fs.createReadStream(route.file, { start: half }).pipe(res));
    } else {
      res.writeHead(200, { ...headers, 'content-length': size });
      fs.createReadStream(route.file).pipe(res);
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((r) => {
      server.close(r);
      server.closeAllConnections(); // the browser's keep-alive connections would hold close() open
    }),
  };
}
