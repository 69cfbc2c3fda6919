#!/usr/bin/env python3
"""./build.sh bench: every row a ratio against a baseline measured in the same run.

    python3 bench/run.py SERVER_BIN [--before OLD_SERVER_BIN]

Writes bench/RESULTS.md (and bench/.cache/results.json). QUICK=1 takes fewer repetitions, for
development. ONLY=<section digits> runs some sections; ONLY=engine runs only the in-browser
engine's rows (section 1's engine path with its bare ffmpeg baseline, section 2's engine rows,
section 6) and MERGES them into the last run's bench/.cache/results.json, keeping its other rows;
RESULTS.md then names the run and date each row comes from. Not a test: it fails only when something cannot be measured at all.
The browser sections (1, 2, 4, 5, 6) run in bench/browser.mjs, in headless Chromium.
"""
import datetime
import gzip
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor

import api
import media
import report

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
QUICK = os.environ.get("QUICK") == "1"
REPS = 2 if QUICK else 5
# The jobs of section 3: the server's --jobs, and the parallelism of the bare ffmpeg runs.
PARALLEL = os.cpu_count() or 2
CONCURRENT = 16

# What the person types, and the same conversion as bare ffmpeg commands (what the server runs,
# without its progress pipe and checks). {i} is the input, {o} the output.
CASES = {
    "mp3": ("Extract the audio track as MP3",
            [["-i", "{i}", "-map", "0:a:0", "-vn", "-c:a", "libmp3lame", "-q:a", "2", "-f", "mp3", "{o}.mp3"]]),
    "m4a": ("original quality",
            [["-i", "{i}", "-map", "0:a:0", "-vn", "-c:a", "copy", "-f", "ipod", "-movflags", "+faststart", "{o}.m4a"]]),
    # Loudness as the server does it (see server/src/media/args.rs): measure, then one gain.
    "podcast": ("mp3 with podcast loudness",
                [["-i", "{i}", "-map", "0:a:0", "-af", "aformat=sample_fmts=dbl|flt,ebur128=peak=true:framelog=verbose", "-f", "null", "-"],
                 ["-i", "{i}", "-map", "0:a:0", "-vn", "-af", "volume=3dB", "-c:a", "libmp3lame", "-q:a", "2", "-f", "mp3", "{o}.mp3"]]),
}


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def bare(case, clip, out):
    """Seconds for the bare ffmpeg commands of `case` on `clip`."""
    t = time.monotonic()
    for cmd in CASES[case][1]:
        args = [a.replace("{i}", clip).replace("{o}", out) for a in cmd]
        subprocess.run(["ffmpeg", "-nostdin", "-y", "-v", "error", *args], check=True)
    return time.monotonic() - t


def versions():
    def first(*cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True).stdout.splitlines()[0].strip()
        except (OSError, IndexError):
            return "missing"
    rev = first("git", "-C", ROOT, "rev-parse", "--short", "HEAD")
    dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--", "server", "src", "crates"],
                           capture_output=True, text=True).stdout.strip()
    pkg = json.load(open(os.path.join(HERE, "package.json")))["devDependencies"]
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(), "cpu": cpu_model(), "machine": platform.machine(),
        "load": os.getloadavg()[0],
        "commit": rev + (" (with uncommitted changes)" if dirty else ""),
        "ffmpeg": first("ffmpeg", "-version"), "chromium": first("chromium", "--version"),
        "node": first("node", "--version"), "rustc": first("rustc", "--version"),
        "npm": ", ".join(f"{k} {v}" for k, v in sorted(pkg.items())),
        "quick": QUICK, "reps": REPS,
    }


def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def phases(r):
    m = r["marks"]
    start = m.get("extracting", m.get("analyzing", m.get("call", 0)))
    return {
        "upload": r["upload"], "job": r["job"], "total": r["total"],
        "enqueue": m.get("call", 0),
        "queue": start - m.get("queued", start),
        "work": m.get("done", m["end"]) - start,
        "sse_tail": m["end"] - m.get("done", m["end"]),
        "download": r["download"],
    }


def section1(binaries, clip, tmp):
    """Bare ffmpeg and each server binary on every case, interleaved run by run so that the
    load of a shared machine falls on all of them alike; medians per case."""
    servers = {label: api.Server(b, os.path.join(tmp, f"data-{label}"), jobs=PARALLEL)
               for label, b in binaries.items()}
    runs = {"bare": {c: [] for c in CASES}, **{label: {c: [] for c in CASES} for label in servers}}
    try:
        clients = {label: api.Client(srv) for label, srv in servers.items()}
        for rep in range(REPS):
            for case, (message, _) in CASES.items():
                # QUICK: the slow loudness case once, and only for the build under test.
                if QUICK and case == "podcast" and rep > 0:
                    continue
                runs["bare"][case].append(bare(case, clip, os.path.join(tmp, "bare")))
                for label, srv in servers.items():
                    if QUICK and case == "podcast" and label != "after":
                        continue
                    runs[label][case].append(phases(api.job(srv, clip, message, tmp, clients[label])))
            print(f"   run {rep + 1}/{REPS}", flush=True)
    finally:
        for srv in servers.values():
            srv.stop()
    out = {"bare": {c: median(v) for c, v in runs["bare"].items()}}
    for label in servers:
        out[label] = {c: {k: median([x[k] for x in v]) for k in v[0]} for c, v in runs[label].items() if v}
    return out


def throughput(binary, clip, tmp, label):
    """Section 3: CONCURRENT jobs at once on a --jobs PARALLEL server; credits latency meanwhile."""
    server = api.Server(binary, os.path.join(tmp, f"data-tp-{label}"), jobs=PARALLEL)
    try:
        clients = [api.Client(server) for _ in range(CONCURRENT)]
        # The uploads are not timed: the row compares job work with ffmpeg's.
        for c in clients:
            c.upload(clip)
        watcher = api.Poller(api.Client(server))
        idle = [watcher.client.balance_ms() for _ in range(50)]
        watcher.start()
        t = time.monotonic()

        def one(c):
            m, _ = c.run("Extract the audio track as MP3")
            c.download(m, os.path.join(tmp, f"tp-{c.sid}.mp3"))
        with ThreadPoolExecutor(CONCURRENT) as pool:
            list(pool.map(one, clients))
        wall = time.monotonic() - t
        ms = watcher.stop()
    finally:
        server.stop()
    ms.sort()
    return {"wall": wall, "p50": median(ms), "p99": ms[min(len(ms) - 1, int(len(ms) * 0.99))],
            "n": len(ms), "idle_p50": median(idle)}


def bare_throughput(clip, tmp):
    t = time.monotonic()
    with ThreadPoolExecutor(PARALLEL) as pool:
        list(pool.map(lambda i: bare("mp3", clip, os.path.join(tmp, f"bare-tp-{i}")), range(CONCURRENT)))
    return time.monotonic() - t


def sizes():
    ext = os.path.join(ROOT, "extension")
    out = {}
    # Where build.sh writes them: build_wasm → extension/pkg, build_engine → extension/engine.
    for name, path in [("client", os.path.join(ext, "pkg", "video_to_audio_bg.wasm")),
                       ("engine", os.path.join(ext, "engine", "v2a_engine_wasm_bg.wasm"))]:
        if os.path.exists(path):
            raw = open(path, "rb").read()
            out[name] = {"raw": len(raw), "gz": len(gzip.compress(raw, 9))}
    # The zip ./build.sh package makes (zip -r of extension/, deflate).
    with tempfile.NamedTemporaryFile(suffix=".zip") as z:
        with zipfile.ZipFile(z.name, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
            for base, _, files in os.walk(os.path.join(ROOT, "extension")):
                for f in files:
                    p = os.path.join(base, f)
                    zf.write(p, os.path.relpath(p, os.path.join(ROOT, "extension")))
        out["zip"] = os.path.getsize(z.name)
    return out


def browser(server_bin, clips, tmp):
    """Sections 1, 2, 4, 5, 6 in headless Chromium (bench/browser.mjs); its JSON."""
    out = os.path.join(tmp, "browser.json")
    cfg = {"server": server_bin, "clips": {str(k): v for k, v in clips.items()}, "reps": REPS,
           "quick": QUICK, "only": os.environ.get("ONLY", ""), "cases": {k: v[0] for k, v in CASES.items()},
           "bare": {k: v[1] for k, v in CASES.items()}, "out": out}
    r = subprocess.run(["node", os.path.join(HERE, "browser.mjs"), json.dumps(cfg)], cwd=HERE)
    if r.returncode != 0 or not os.path.exists(out):
        print(f"browser sections failed (exit {r.returncode})", file=sys.stderr)
        return {"error": f"bench/browser.mjs exited with {r.returncode}; see its output"}
    return json.load(open(out))


def engine_rows(got, env):
    """The engine's measurements of one browser run, with that run's date and versions."""
    anchors = got.get("anchors") or {}
    return {"env": env, "e2e": got.get("engineE2e"), "anchors": anchors.get("engine"),
            "big": anchors.get("engineBig"), "error": got.get("error")}


def main():
    args = sys.argv[1:]
    binary = os.path.abspath(args[0])
    before = os.path.abspath(args[args.index("--before") + 1]) if "--before" in args else None
    only = os.environ.get("ONLY", "")
    env = versions()
    res = {"env": env}
    if only == "engine":
        # Merge into the last run: its rows stay, with its own date and versions.
        last = os.path.join(media.CACHE, "results.json")
        if os.path.exists(last):
            res = json.load(open(last))
    print(f"bench: {'QUICK, ' if QUICK else ''}{REPS} repetitions, {PARALLEL} cores", flush=True)
    print("media (cached under bench/.cache)…", flush=True)
    clips = {180: media.clip(180), 60: media.clip(60), "big": media.big(495_000_000)}
    res["clips"] = {str(k): {"path": os.path.relpath(v, ROOT), "bytes": os.path.getsize(v)} for k, v in clips.items()}
    tmp = tempfile.mkdtemp(prefix="v2a-bench-")
    try:
        if not only or "1" in only:
            print("1. bare ffmpeg and the server path…", flush=True)
            binaries = {"after": binary, **({"before": before} if before else {})}
            got = section1(binaries, clips[180], tmp)
            res["bare"] = got.pop("bare")
            res["server"] = got
        if not only or "3" in only:
            print("3. throughput…", flush=True)
            reps3 = 1 if QUICK else 3
            runs = {"bare": [], "after": [], "before": []}
            for i in range(reps3):
                runs["bare"].append(bare_throughput(clips[60], tmp))
                for label, b in [("after", binary), ("before", before)]:
                    if b:
                        runs[label].append(throughput(b, clips[60], tmp, f"{label}{i}"))
            res["tp"] = {"bare": median(runs["bare"])}
            for label in ("after", "before"):
                if runs[label]:
                    res["tp"][label] = {k: median([r[k] for r in runs[label]]) for k in runs[label][0]}
        res["sizes"] = {**sizes(), "date": env["date"]}
        if only == "engine":
            print("the in-browser engine's rows (sections 1, 2, 6)…", flush=True)
            got = browser(binary, clips, tmp)
            res["engine"] = engine_rows(got, env)
            if got.get("popup"):
                res.setdefault("browser", {})["popup"] = got["popup"]
                res["browser"]["popup"]["date"] = env["date"]
        elif not only or set(only) & set("12456"):
            print("browser sections…", flush=True)
            res["browser"] = browser(binary, clips, tmp)
            if "engineE2e" in res["browser"]:
                res["engine"] = engine_rows(res["browser"], env)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(media.CACHE, exist_ok=True)
    with open(os.path.join(media.CACHE, "results.json"), "w") as f:
        json.dump(res, f, indent=1)
    with open(os.path.join(HERE, "RESULTS.md"), "w") as f:
        f.write(report.markdown(res))
    print(f"wrote {os.path.join(HERE, 'RESULTS.md')}")


if __name__ == "__main__":
    main()
