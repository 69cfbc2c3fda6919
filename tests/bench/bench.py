#!/usr/bin/env python3
"""Speed and memory benchmarks of the real server (./build.sh bench).

What a user waits for, end to end over loopback HTTP: token -> session -> upload -> /run_sse
until the final event -> download. The hosted service quotes 20-40 s per clip; this project's
target is an order of magnitude better, so each clip here must finish in at most 4 s. Memory:
the server's peak RSS while a ~500 MB video streams in and is extracted must stay under 150 MB
(streams, not buffers). Exits non-zero when a target is missed, and prints a table either way.
Only the standard library, curl and ffmpeg are used.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time

SPEED_TARGET_S = 4.0
MEMORY_TARGET_MB = 150.0


def sh(*args, **kw):
    return subprocess.run(args, check=True, capture_output=True, **kw)


def make_clip(path, seconds, size="1280x720"):
    # A realistic upload: H.264 video plus 48 kHz stereo AAC with a tone, like a phone recording.
    sh("ffmpeg", "-nostdin", "-y", "-v", "error",
       "-f", "lavfi", "-i", f"testsrc2=size={size}:rate=30:duration={seconds}",
       "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={seconds}",
       "-ac", "2", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "28",
       "-c:a", "aac", "-b:a", "160k", "-shortest", path)


def make_big(path, target_bytes, workdir):
    # Loop a short high-bitrate segment with stream copy: ~500 MB in seconds, still a valid MP4.
    seg = os.path.join(workdir, "seg.mp4")
    sh("ffmpeg", "-nostdin", "-y", "-v", "error",
       "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30:duration=10",
       "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=10",
       "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0", "-c:a", "aac", "-shortest", seg)
    loops = max(0, target_bytes // os.path.getsize(seg))
    sh("ffmpeg", "-nostdin", "-y", "-v", "error", "-stream_loop", str(loops), "-i", seg,
       "-c", "copy", "-fs", str(target_bytes), path)


class Server:
    def __init__(self, binary, data_dir):
        self.proc = subprocess.Popen(
            [binary, "--listen", "127.0.0.1:0", "--data-dir", data_dir, "--max-upload-mb", "500"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline()
        m = re.search(r"listening on (http://\S+)", line)
        if not m:
            raise SystemExit(f"server did not start: {line!r}")
        self.url = m.group(1)

    def peak_rss_mb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


def curl_json(*args):
    out = sh("curl", "-sS", *args).stdout
    env = json.loads(out)
    if env.get("code") != 0:
        raise SystemExit(f"API error: {env}")
    return env["data"]


def one_job(url, clip, message, outdir):
    t0 = time.monotonic()
    token = curl_json("-X", "POST", "-H", "X-Client-Id: bench", f"{url}/api/auth/anonymous-token")["token"]
    auth = f"Authorization: Bearer {token}"
    sid = curl_json("-X", "POST", "-H", auth, "-H", "Content-Type: application/json",
                    "-d", '{"task_name":"project","language":"en"}',
                    f"{url}/api/tasks/me/with-session/nemo_agent")["session_id"]
    t_up = time.monotonic()
    curl_json("-X", "POST", "-H", auth, "-F", f"file=@{clip}", f"{url}/api/upload-video/nemo_agent/me/{sid}")
    t_run = time.monotonic()
    body = json.dumps({"app_name": "nemo_agent", "user_id": "me", "session_id": sid,
                       "new_message": {"role": "user", "parts": [{"text": message}]}, "streaming": True})
    stream = sh("curl", "-sS", "-N", "-X", "POST", "-H", auth, "-H", "Content-Type: application/json",
                "-H", "Accept: text/event-stream", "-d", body, f"{url}/run_sse").stdout.decode()
    media = None
    for line in stream.splitlines():
        if line.startswith("data:"):
            ev = json.loads(line[5:])
            for part in (ev.get("content") or {}).get("parts", []):
                fr = part.get("functionResponse")
                if fr and "generated_media" in (fr.get("response") or {}):
                    media = fr["response"]["generated_media"]
    if not media or media.get("status") != "done":
        raise SystemExit(f"job did not finish: {stream[-500:]}")
    t_dl = time.monotonic()
    out = os.path.join(outdir, media["name"])
    sh("curl", "-sS", "-o", out, url + media["download_url"])
    t_end = time.monotonic()
    return {"upload": t_run - t_up, "extract": t_dl - t_run, "download": t_end - t_dl,
            "total": t_end - t0, "size": os.path.getsize(out)}


def main():
    binary = sys.argv[1]
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        print("preparing media…", flush=True)
        clips = {}
        for seconds in (30, 180):
            p = os.path.join(tmp, f"clip{seconds}.mp4")
            make_clip(p, seconds)
            clips[seconds] = p
        server = Server(binary, os.path.join(tmp, "data"))
        try:
            print(f"{'case':44} {'upload':>7} {'extract':>8} {'download':>9} {'total':>7}")
            cases = [(30, "extract the audio as mp3"), (30, "original quality"),
                     (180, "extract the audio as mp3"), (180, "mp3 192k from 0:30 to 2:15, podcast loudness")]
            for seconds, message in cases:
                r = one_job(server.url, clips[seconds], message, tmp)
                name = f"{seconds} s 720p MP4: {message}"
                print(f"{name[:44]:44} {r['upload']:6.2f}s {r['extract']:7.2f}s {r['download']:8.2f}s {r['total']:6.2f}s")
                if r["total"] > SPEED_TARGET_S:
                    failures.append(f"{name}: {r['total']:.2f} s > {SPEED_TARGET_S} s")
        finally:
            server.stop()

        print("preparing a ~500 MB video…", flush=True)
        big = os.path.join(tmp, "big.mp4")
        make_big(big, 495 * 1024 * 1024, tmp)
        for f in os.listdir(tmp):
            if f.startswith("clip") or f == "seg.mp4":
                os.remove(os.path.join(tmp, f))
        server = Server(binary, os.path.join(tmp, "data-big"))
        try:
            before = server.peak_rss_mb()
            r = one_job(server.url, big, "extract the audio as mp3", tmp)
            peak = server.peak_rss_mb()
        finally:
            server.stop()
        mb = os.path.getsize(big) / 1e6
        print(f"{mb:.0f} MB upload + extraction: total {r['total']:.1f} s (upload {r['upload']:.1f} s), "
              f"server peak RSS {before:.0f} MB at start -> {peak:.0f} MB")
        if peak > MEMORY_TARGET_MB:
            failures.append(f"peak RSS {peak:.0f} MB > {MEMORY_TARGET_MB} MB")
    if failures:
        print("targets missed:\n  " + "\n  ".join(failures))
        return 1
    print("all targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
