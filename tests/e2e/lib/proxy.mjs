// A loopback TCP proxy between the extension and the server that can misbehave on uploads:
// cut an upload's connection after some bytes (a network that drops), or hold it there until
// the test lets it go (an upload that is mid-way by construction, however fast the machine).
import net from 'node:net';

/** The request line every file upload starts with (see protocol::paths::upload). */
const UPLOAD = Buffer.from('POST /api/upload-video/');

/**
 * Starts a proxy to `target` ("http://127.0.0.1:port"). Resolves to {url, uploads, cutNext(n,
 * after), hold(after), release(), held, close()}: `uploads` counts upload requests seen;
 * `cutNext(n, after)` cuts the next `n` uploads once `after` bytes of each went through;
 * `hold(after)` stops the next upload after `after` bytes until `release()`, and `held` resolves
 * when it is stopped there.
 */
export async function startProxy(target) {
  const { hostname, port } = new URL(target);
  const sockets = new Set();
  const proxy = {
    uploads: 0,
    cuts: 0,
    toCut: 0,
    cutAfter: 0,
    holdAfter: null,
    held: null,
    release: () => {},
    /** Cut the next `n` uploads after `after` bytes each. */
    cutNext(n, after) {
      proxy.toCut = n;
      proxy.cutAfter = after;
    },
    /** Hold the next upload after `after` bytes; `held` resolves once it is held. */
    hold(after) {
      proxy.holdAfter = after;
      let reached;
      proxy.held = new Promise((r) => { reached = r; });
      proxy.reached = reached;
    },
  };

  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port), hostname);
    sockets.add(client);
    sockets.add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
    upstream.pipe(client);

    // Per connection: how far into an upload it is, and what to do with it.
    let upload = null; // {sent, cutAt, holdAt}
    client.on('data', (chunk) => {
      // Every upload is told by its request line (keep-alive may carry several on one connection).
      if (chunk.indexOf(UPLOAD) >= 0) {
        proxy.uploads++;
        upload = { sent: 0, cutAt: null, holdAt: null };
        if (proxy.toCut > 0) {
          proxy.toCut--;
          upload.cutAt = proxy.cutAfter;
        } else if (proxy.holdAfter !== null) {
          upload.holdAt = proxy.holdAfter;
          proxy.holdAfter = null;
        }
      }
      if (!upload) {
        upstream.write(chunk);
        return;
      }
      const limit = upload.cutAt ?? upload.holdAt;
      if (limit === null || upload.sent + chunk.length <= limit) {
        upload.sent += chunk.length;
        upstream.write(chunk);
        return;
      }
      const head = chunk.subarray(0, Math.max(0, limit - upload.sent));
      const rest = chunk.subarray(head.length);
      upstream.write(head);
      upload.sent += head.length;
      if (upload.cutAt !== null) {
        // The network drops: both sides see the connection reset.
        proxy.cuts++;
        client.resetAndDestroy();
        upstream.resetAndDestroy();
        return;
      }
      // Held: nothing more goes through until the test releases it.
      client.pause();
      const going = upload;
      going.holdAt = null;
      proxy.release = () => {
        going.sent += rest.length;
        upstream.write(rest);
        client.resume();
      };
      proxy.reached();
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  proxy.url = `http://127.0.0.1:${server.address().port}`;
  proxy.close = () => new Promise((r) => {
    for (const s of sockets) s.destroy();
    server.close(r);
  });
  return proxy;
}
