"""bench/RESULTS.md from the measurements of one run (bench/run.py)."""
import math

NAMES = {"mp3": "MP3 (LAME V2)", "m4a": "M4A by copy", "podcast": "MP3, podcast loudness"}


def s(x, digits=2):
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f} s"


def ms(x, digits=1):
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f} ms"


def ratio(a, b):
    if a is None or b is None or not b or math.isnan(a) or math.isnan(b):
        return "–"
    return f"**{a / b:.2f}×**"


def mb(kb):
    return f"{kb / 1024:.0f} MB"


def markdown(r):
    e = r["env"]
    out = [
        "# Benchmarks",
        "",
        f"Written by `./build.sh bench` (bench/run.py) on {e['date']}: {e['cores']} cores ({e['cpu']}, "
        f"{e['machine']}), load average {e['load']:.1f} at the start (the machine is shared). "
        f"Commit {e['commit']}. {e['ffmpeg']}; {e['chromium']}; node {e['node']}; {e['rustc']}; "
        f"npm: {e['npm']}.",
        "",
        f"Every time is the **median of {e['reps']} runs** unless a row says otherwise"
        + (" — **QUICK mode** (fewer repetitions: medians of 2, the loudness case and the anchors once, "
           "the loudness case not for the old build; the full run did not fit the time on a machine "
           "shared by several builds)." if e["quick"] else ".")
        + " Every ratio is against a baseline measured in this same run. Inputs are generated "
        "(bench/media.py): 1080p H.264 at 11 Mb/s + AAC-LC 160k stereo whose sound is espeak-ng "
        "speech mixed with pink noise and a three-note chord, as hard to encode as a programme.",
        "",
    ]
    clips = r.get("clips", {})
    if clips:
        out += ["Inputs: " + ", ".join(f"`{c['path']}` {c['bytes'] / 1e6:.0f} MB" for c in clips.values()), ""]
    goals = []
    out += section1(r, goals)
    out += section2(r)
    out += section3(r, goals)
    out += section4(r)
    out += section5(r, goals)
    out += section6(r)
    engine_goals(r, goals)
    out += ["## Goals (issues 12 and 9)", "", "| goal | measured | |", "| --- | --- | --- |"]
    out += [f"| {g} | {m} | {'met' if ok else '**missed**'} |" for g, m, ok in goals]
    out.append("")
    return "\n".join(out)


def section1(r, goals):
    out = ["## 1. End to end: the 3-minute 1080p clip", ""]
    bare = r.get("bare")
    if not bare:
        return out + ["Not run.", ""]
    sv = r["server"]
    e2e = (r.get("browser") or {}).get("e2e", {}).get("server", {})
    out += [
        "Baseline: bare `ffmpeg` on the same file with the same conversion (for podcast loudness "
        "the server's own two passes: ebur128 measure, then one gain while encoding). "
        "*API* is the server driven over loopback HTTP (token and session made once; upload, "
        "`/run_sse` to the last event, download). *Extension* is the real extension in headless "
        "Chromium, from pressing Extract to the file complete in the download folder. "
        "The ratio is against bare ffmpeg plus the upload time, since a server must receive the file first.",
        "",
        "| conversion | bare ffmpeg | API before | ratio | API after | ratio | extension (after) | ratio |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for case, name in NAMES.items():
        b = bare.get(case)
        bef = sv.get("before", {}).get(case)
        aft = sv.get("after", {}).get(case)
        ext = e2e.get(case)
        ext_total = ext["total"] / 1000 if ext else None
        ext_up = ext["upload"] / 1000 if ext else None
        out.append(
            f"| {name} | {s(b)} | {s(bef and bef['total'])} | {ratio(bef and bef['total'], bef and b + bef['upload'])} "
            f"| {s(aft and aft['total'])} | {ratio(aft and aft['total'], aft and b + aft['upload'])} "
            f"| {s(ext_total)} | {ratio(ext_total, ext and b + ext_up)} |")
    out += [""] + engine_e2e(r) + [
        "**Where the time goes** (API, medians; *work* is from the job's first progress event to its "
        "`done` event: ffmpeg plus the server's checks of the written file; *over ffmpeg* is work "
        "minus bare ffmpeg):",
        "",
        "| conversion | server | upload | request → job | queue | work | over ffmpeg | SSE tail | download | job (no upload) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for case, name in NAMES.items():
        for label in ("before", "after"):
            x = sv.get(label, {}).get(case)
            if not x:
                continue
            out.append(
                f"| {name} | {label} | {s(x['upload'])} | {s(x['enqueue'], 3)} | {s(x['queue'], 3)} | {s(x['work'])} "
                f"| {s(x['work'] - bare[case], 2)} | {s(x['sse_tail'], 3)} | {s(x['download'], 3)} | {s(x['job'])} |")
    if e2e:
        out += ["", "Through the extension (after): upload = click to the job queued on the server; run = "
                "to the job done; download = to the file complete on disk.", "",
                "| conversion | upload | run | download | total |", "| --- | ---: | ---: | ---: | ---: |"]
        for case, name in NAMES.items():
            x = e2e.get(case)
            if x:
                out.append(f"| {name} | {s(x['upload'] / 1000)} | {s(x['run'] / 1000)} | "
                           f"{s(x['download'] / 1000)} | {s(x['total'] / 1000)} |")
    aft = sv.get("after", {})
    if "mp3" in aft:
        x = aft["mp3"]
        goals.append(("server MP3 path ≤ 1.1× bare ffmpeg + upload",
                      f"{x['total']:.2f} s vs {bare['mp3']:.2f} + {x['upload']:.2f} s = "
                      f"{x['total'] / (bare['mp3'] + x['upload']):.2f}×",
                      x["total"] <= 1.1 * (bare["mp3"] + x["upload"])))
    if "m4a" in aft:
        x = aft["m4a"]
        goals.append(("M4A copy ≤ 0.3 s end to end (request to file, the upload excluded)",
                      f"{x['job']:.2f} s (bare ffmpeg {bare['m4a']:.2f} s; the upload adds {x['upload']:.2f} s)",
                      x["job"] <= 0.3))
    out.append("")
    return out


def engine_run(r):
    """The engine's rows and the sentence naming the run they come from, or (None, '')."""
    eng = r.get("engine")
    if not eng:
        return None, ""
    e = eng["env"]
    same = e["date"] == r["env"]["date"]
    where = ("this run" if same else
             f"a later run (`ONLY=engine`, {e['date']}, commit {e['commit']}, load average {e['load']:.1f} "
             f"at its start, medians of {e['reps']}{', QUICK' if e['quick'] else ''}) merged into this file; "
             f"the other rows are from the run of {r['env']['date']}")
    return eng, where


def engine_e2e(r):
    eng, where = engine_run(r)
    x = eng and eng.get("e2e")
    if not x:
        return ["The in-browser engine's path was not measured in this run.", ""]
    out = [f"**The in-browser engine through the extension** (issue 9; from {where}). Options left at "
           "\"Process on this computer when possible\" (the default): the clip picked in the popup, "
           "nothing uploaded, the job checked to have run on this computer. Baseline: bare ffmpeg on "
           "the same file, run just before each job (same run, interleaved). *read* = click to the "
           "engine started (the picked file stored, the request understood); *run* = the engine's "
           "work in its worker; *download* = the object URL to the file complete on disk. Memory "
           "growth: peak PSS of all the browser's processes over the start.", "",
           "| conversion | bare ffmpeg | engine (extension) | ratio | read | run | download | memory growth |",
           "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for case, name in NAMES.items():
        v = x["engine"].get(case)
        b = x["bare"].get(case)
        if not v:
            continue
        tot = v["total"] / 1000
        out.append(f"| {name} | {s(b)} | {s(tot)} | {ratio(tot, b)} | {s(v['read'] / 1000)} | "
                   f"{s(v['run'] / 1000)} | {s(v['download'] / 1000)} | {mb(v['growthKb'])} |")
    return out + [""]


def section2(r):
    out = ["## 2. In-browser anchors (same Chromium, from a Blob in the page to the output Blob)", ""]
    a = (r.get("browser") or {}).get("anchors")
    bare = r.get("bare") or {}
    if not a:
        return out + ["Not run.", ""]
    n = r["env"]["reps"]
    out += [f"ffmpeg.wasm: @ffmpeg/ffmpeg + @ffmpeg/core (single thread), the clip mounted with WORKERFS, "
            f"time after the core is loaded. Mediabunny with @mediabunny/mp3-encoder, decoding through "
            f"the browser's WebCodecs. Memory growth: the peak PSS of all the browser's processes over "
            f"the start. Medians of {1 if r['env']['quick'] else 3} runs (each takes minutes).", "",
            "| tool | conversion | time | vs bare ffmpeg | output | memory growth |",
            "| --- | --- | ---: | ---: | ---: | ---: |"]
    del n
    for tool, label in (("ffmpegwasm", "ffmpeg.wasm"), ("mediabunny", "Mediabunny")):
        for case, name in NAMES.items():
            x = (a.get(tool) or {}).get(case)
            if not x:
                continue
            if "error" in x:
                out.append(f"| {label} | {name} | – | – | – | {x['error'][:120]} |")
                continue
            t = x["ms"] / 1000
            out.append(f"| {label} | {name} | {s(t)} | {ratio(t, bare.get(case))} | "
                       f"{x['bytes'] / 1e6:.1f} MB | {mb(x['growthKb'])} |")
    out.append("")
    eng, where = engine_run(r)
    if eng and eng.get("anchors"):
        eb = (eng.get("e2e") or {}).get("bare", {})
        big = eng.get("big") or {}
        bigmb = r.get("clips", {}).get("big", {}).get("bytes", 0) / 1e6
        out += [f"**Our engine** (from {where}) in the same kind of page: the request understood by the "
                "client's wasm (`understand`, as runner-local.js does), then `extension/engine-worker.js` "
                "itself in a dedicated module worker (it imports the built `extension/engine/v2a_engine_wasm.js` "
                "glue) reading the page's Blob with `Blob.slice`; timed from posting `run` to the output "
                "Blob, so the worker's start and the wasm's instantiation are included. "
                "Each of the five runs comes just after bare ffmpeg on the same file and conversion "
                "(*bare ffmpeg*: their median); the ratio is the median of the five pairs' ratios. "
                f"The last rows take the {bigmb:.0f} MB clip, once each.", "",
                "| tool | conversion | input | time | bare ffmpeg | vs bare ffmpeg | output | memory growth |",
                "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |"]
        for label, rows, clip in (("3-minute clip", eng["anchors"], True), (f"{bigmb:.0f} MB clip", big, False)):
            for case, name in NAMES.items():
                x = rows.get(case)
                if not x:
                    continue
                if "error" in x:
                    out.append(f"| engine | {name} | {label} | – | – | – | – | {x['error'][:120]} |")
                    continue
                t = x["ms"] / 1000
                # Older runs have no pairs: against section 1's bare ffmpeg then.
                b = x.get("bare", eb.get(case)) if clip else None
                rat = (f"**{x['ratio']:.2f}×**" if "ratio" in x else ratio(t, b)) if clip else "–"
                out.append(f"| engine | {name} | {label} | {s(t)} | {s(b) if b else '–'} | {rat} | "
                           f"{x['bytes'] / 1e6:.1f} MB | {mb(x['growthKb'])} |")
        out.append("")
    return out


def engine_goals(r, goals):
    """Issue 9's speed and memory goals, judged on section 2's engine rows (Blob to Blob)."""
    eng, _ = engine_run(r)
    a = eng and eng.get("anchors")
    if not a:
        return
    e2e_bare = (eng.get("e2e") or {}).get("bare", {})

    def paired(case):
        """(time, bare ffmpeg, ratio) of an anchor row: its own pairs', else section 1's bare."""
        x = a.get(case, {})
        b = x.get("bare", e2e_bare.get(case))
        if "ms" not in x or not b:
            return None
        t = x["ms"] / 1000
        return t, b, x.get("ratio", t / b)

    m4a, mp3 = paired("m4a"), paired("mp3")
    if m4a:
        t, b, q = m4a
        goals.append(("engine: → M4A faster than bare native ffmpeg on the same file (issue 9)",
                      f"{t:.2f} s vs {b:.2f} s: {q:.2f}× (median of pairs)", q < 1.0))
    if mp3:
        t, b, q = mp3
        goals.append(("engine: → MP3 within 1.5× bare native ffmpeg (issue 9)",
                      f"{t:.2f} s vs {b:.2f} s: {q:.2f}× (median of pairs)", q <= 1.5))
    rows = [(f"{k} (3-minute clip)", v) for k, v in a.items()] + [(f"{k} (big clip)", v) for k, v in (eng.get("big") or {}).items()]
    rows = [(k, v["growthKb"]) for k, v in rows if "growthKb" in v]
    if rows:
        k, worst = max(rows, key=lambda kv: kv[1])
        goals.append(("engine: memory growth under 32 MB whatever the file's size (issue 9)",
                      f"largest {mb(worst)} ({k}); " + ", ".join(f"{kk} {mb(v)}" for kk, v in rows),
                      worst < 32 * 1024))


def section3(r, goals):
    out = ["## 3. Server throughput", ""]
    tp = r.get("tp")
    if not tp:
        return out + ["Not run.", ""]
    out += [f"16 MP3 jobs of the 1-minute 1080p clip sent at once to a server with `--jobs {r['env']['cores']}`, "
            f"against the same 16 conversions as bare ffmpeg, {r['env']['cores']} at a time. The uploads "
            "happen before the clock starts (one per person); each job is `/run_sse` to its last event "
            "and the download. Meanwhile `GET /api/credits/balance/simple` is asked every 20 ms.", "",
            "| | wall time | throughput vs bare | credits p50 | credits p99 | credits p50 idle |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
            f"| bare ffmpeg | {s(tp['bare'])} | 1.00× | | | |"]
    for label in ("before", "after"):
        x = tp.get(label)
        if x:
            out.append(f"| server {label} | {s(x['wall'])} | {ratio(tp['bare'], x['wall'])} | {ms(x['p50'])} | "
                       f"{ms(x['p99'])} | {ms(x['idle_p50'])} |")
    x = tp.get("after")
    if x:
        goals.append(("concurrent throughput ≥ 0.9× bare ffmpeg", f"{tp['bare'] / x['wall']:.2f}×",
                      tp["bare"] / x["wall"] >= 0.9))
        goals.append(("credits p99 < 20 ms under that load", f"{x['p99']:.1f} ms (p50 {x['p50']:.1f} ms)",
                      x["p99"] < 20))
    out.append("")
    return out


def section4(r):
    out = ["## 4. A 500 MB upload through the extension", ""]
    u = (r.get("browser") or {}).get("upload500")
    if not u:
        return out + ["Not run.", ""]
    out += [f"A {u['bytes'] / 1e6:.0f} MB MP4 picked in the popup and extracted to MP3 (one run).", "",
            "| upload | throughput | whole job | browser processes (PSS) | server resident memory |",
            "| ---: | ---: | ---: | ---: | ---: |",
            f"| {s(u['uploadMs'] / 1000)} | {u['mbPerS']:.0f} MB/s | {s(u['total'] / 1000)} | "
            f"+{mb(u['browserGrowthKb'])} over {mb(u['browserStartKb'])} | "
            f"{mb(u['serverStartKb'])} → peak {mb(u['serverPeakKb'])} |", ""]
    return out


def section5(r, goals):
    out = ["## 5. SSE parsing in the page", ""]
    x = (r.get("browser") or {}).get("sse")
    if not x:
        return out + ["Not run.", ""]
    out += ["The same bytes through the client's wasm parser (crates/sse, exported as `SseParser`; "
            "events stay in Rust, as in the client) and `eventsource-parser` (with a streaming "
            "TextDecoder, since a body arrives as bytes). Chunks are cut before the clock starts.", "",
            "| stream | wasm | eventsource-parser | wasm / JS | events (wasm, JS) |",
            "| --- | ---: | ---: | ---: | ---: |"]
    for label, v in x.items():
        w, j = v["wasm"], v["eventsource-parser"]
        out.append(f"| {label} | {w['mbPerS']:.0f} MB/s ({ms(w['ms'], 0)}) | {j['mbPerS']:.0f} MB/s ({ms(j['ms'], 0)}) "
                   f"| {ratio(w['mbPerS'], j['mbPerS'])} | {w['events']}, {j['events']} |")
    big = x.get("50 MB ADK stream, 64 KB chunks")
    if big:
        w, j = big["wasm"]["mbPerS"], big["eventsource-parser"]["mbPerS"]
        goals.append(("wasm SSE parser ≥ eventsource-parser at 64 KB chunks", f"{w / j:.2f}× ({w:.0f} vs {j:.0f} MB/s)", w >= j))
    out.append("")
    return out


def section6(r):
    out = ["## 6. Popup and sizes", ""]
    b = r.get("browser") or {}
    if b.get("popup"):
        when = f", measured {b['popup']['date']}" if b["popup"].get("date") else ""
        # polledMs: the clock read after Playwright's wait, as this row was measured until 2026-12-07.
        polled = f"; read after Playwright's wait, as before: {ms(b['popup']['polledMs'])}" if b["popup"].get("polledMs") else ""
        out.append(f"Popup from opening to `body[data-ready]`, by the page's clock when it is set: **{ms(b['popup']['ms'])}** "
                   f"(median of {b['popup']['n']}{when}{polled}).")
        out.append("")
    z = r.get("sizes", {})
    out += ["| artefact | raw | gzipped |", "| --- | ---: | ---: |"]
    for name in ("client", "engine"):
        if name in z:
            out.append(f"| {name} wasm | {z[name]['raw']:,} B | {z[name]['gz']:,} B |")
        else:
            out.append(f"| {name} wasm | not built | |")
    if "zip" in z:
        out.append(f"| extension zip | {z['zip']:,} B | (deflate) |")
    if z.get("date"):
        out += ["", f"Sizes measured {z['date']} (extension/pkg and extension/engine as `./build.sh build` writes them)."]
    if b.get("error"):
        out += ["", f"The browser part stopped early: `{b['error'][:300]}`"]
    out.append("")
    return out
