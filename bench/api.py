"""The real server on loopback, driven through its HTTP API with timestamps at every step.

Only the standard library: http.client streams the multipart upload from disk (a 500 MB video
is never whole in memory here either) and reads the /run_sse stream line by line.
"""
import http.client
import json
import os
import re
import subprocess
import sys
import time
import urllib.parse
import uuid

CHUNK = 1 << 20


class Server:
    """`video-to-audio-server` on 127.0.0.1:0 with its own data directory."""

    def __init__(self, binary, data_dir, jobs=None, extra=()):
        args = [binary, "--listen", "127.0.0.1:0", "--data-dir", data_dir,
                "--max-upload-mb", "600", "--credits", "100000",
                "--rate-limit-per-minute", "100000", "--rate-limit-burst", "100000", *extra]
        if jobs:
            args += ["--jobs", str(jobs)]
        env = {**os.environ, "RUST_LOG": "warn"}
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     text=True, env=env)
        line = self.proc.stdout.readline()
        m = re.search(r"listening on (http://\S+)", line)
        if not m:
            self.proc.kill()
            raise SystemExit(f"server did not start: {line!r}")
        self.url = m.group(1).rstrip("/")
        u = urllib.parse.urlparse(self.url)
        self.host, self.port = u.hostname, u.port

    def status_kb(self, key):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
        return 0

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Client:
    """One person: an anonymous token and a session."""

    def __init__(self, server):
        self.s = server
        self.token = self.call("POST", "/api/auth/anonymous-token",
                               headers={"X-Client-Id": str(uuid.uuid4())}, auth=False)["token"]
        self.sid = self.call("POST", "/api/tasks/me/with-session/nemo_agent",
                             body={"task_name": "project", "language": "en"})["session_id"]

    def conn(self):
        return http.client.HTTPConnection(self.s.host, self.s.port, timeout=600)

    def call(self, method, path, body=None, headers=None, auth=True):
        c = self.conn()
        h = dict(headers or {})
        if auth:
            h["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        c.request(method, path, body=data, headers=h)
        r = c.getresponse()
        env = json.loads(r.read())
        c.close()
        if env.get("code") != 0:
            raise RuntimeError(f"{method} {path}: {env}")
        return env["data"]

    def upload(self, path):
        """Stream `path` as multipart; the media info."""
        boundary = uuid.uuid4().hex
        name = os.path.basename(path)
        head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
                f"filename=\"{name}\"\r\nContent-Type: video/mp4\r\n\r\n").encode()
        tail = f"\r\n--{boundary}--\r\n".encode()
        size = os.path.getsize(path)
        c = self.conn()
        c.putrequest("POST", f"/api/upload-video/nemo_agent/me/{self.sid}")
        c.putheader("Authorization", f"Bearer {self.token}")
        c.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
        c.putheader("Content-Length", str(len(head) + size + len(tail)))
        c.endheaders()
        c.send(head)
        with open(path, "rb") as f:
            while chunk := f.read(CHUNK):
                c.send(chunk)
        c.send(tail)
        env = json.loads(c.getresponse().read())
        c.close()
        if env.get("code") != 0:
            raise RuntimeError(f"upload: {env}")
        return env["data"]

    def run(self, message):
        """POST /run_sse; (generated media, {event name: seconds since the request})."""
        body = json.dumps({"app_name": "nemo_agent", "user_id": "me", "session_id": self.sid,
                           "new_message": {"role": "user", "parts": [{"text": message}]},
                           "streaming": True}).encode()
        t0 = time.monotonic()
        c = self.conn()
        c.request("POST", "/run_sse", body=body, headers={
            "Authorization": f"Bearer {self.token}", "Content-Type": "application/json",
            "Accept": "text/event-stream"})
        r = c.getresponse()
        marks, media = {}, None
        while True:
            line = r.fp.readline()
            if not line:
                break
            if not line.startswith(b"data:"):
                continue
            ev = json.loads(line[5:])
            now = time.monotonic() - t0
            meta = ev.get("customMetadata") or {}
            if meta.get("stage"):
                # queued, extracting / analyzing / normalizing, done: first seen.
                marks.setdefault(meta["stage"], now)
            for part in (ev.get("content") or {}).get("parts", []):
                if part.get("functionCall"):
                    marks.setdefault("call", now)
                fr = part.get("functionResponse") or {}
                if "generated_media" in (fr.get("response") or {}):
                    media = fr["response"]["generated_media"]
                    marks.setdefault("response", now)
            if ev.get("turn_complete") or ev.get("turnComplete"):
                break
        marks["end"] = time.monotonic() - t0
        c.close()
        if not media or media.get("status") != "done":
            raise RuntimeError(f"job did not finish: {marks}")
        return media, marks

    def download(self, media, dest):
        c = self.conn()
        c.request("GET", media["download_url"])
        r = c.getresponse()
        with open(dest, "wb") as f:
            while chunk := r.read(CHUNK):
                f.write(chunk)
        c.close()
        return os.path.getsize(dest)

    def balance_ms(self):
        t = time.perf_counter()
        self.call("GET", "/api/credits/balance/simple")
        return (time.perf_counter() - t) * 1000


def job(server, clip, message, outdir, client=None):
    """One whole job as a person runs it; seconds per phase."""
    client = client or Client(server)
    t0 = time.monotonic()
    client.upload(clip)
    t1 = time.monotonic()
    media, marks = client.run(message)
    t2 = time.monotonic()
    client.download(media, os.path.join(outdir, media["name"]))
    t3 = time.monotonic()
    return {"upload": t1 - t0, "run": t2 - t1, "download": t3 - t2, "total": t3 - t0,
            "job": t3 - t1, "marks": marks}


class Poller:
    """bench/poll.py in its own process (the GIL of this one would delay its clock), asking for
    the credits every 20 ms from start() to stop(); latencies in ms."""

    def __init__(self, client):
        self.client = client

    def start(self):
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "poll.py"),
             self.client.s.url, self.client.token],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def stop(self):
        out, _ = self.proc.communicate("", timeout=120)
        return json.loads(out)
