#!/usr/bin/env bash
# Video to Audio — one entry point for building, running, testing, benchmarking and packaging.
#
#   ./build.sh run       build everything, start the local backend (127.0.0.1:8787) and, where a
#                        display exists, Chromium with the extension loaded
#   ./build.sh test      every test the project has; non-zero exit on any failure
#   ./build.sh build     release wasm (+ wasm-opt) into extension/pkg/ and the release server binary
#   ./build.sh bench     speed and memory benchmarks
#   ./build.sh fuzz      every fuzz target for FUZZ_SECONDS (default 60) each; not part of test
#   ./build.sh package   Chrome and Firefox zips of the extension under dist/
#
# Every subcommand first installs what is missing (idempotent, quick when all is there): Debian
# packages via apt-get (as root or with sudo), the wasm32 target via rustup, wasm-bindgen-cli at
# the version Cargo.lock pins, and the e2e harness's node packages from its package-lock.json.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$PATH"

EXT_DIR="$ROOT/extension"
PKG_DIR="$EXT_DIR/pkg"
E2E_DIR="$ROOT/tests/e2e"
LISTEN="${V2A_LISTEN:-127.0.0.1:8787}"
# Where ./build.sh run serves its demo page (a short generated video to try the extension on).
DEMO_LISTEN="${V2A_DEMO_LISTEN:-127.0.0.1:8788}"
CHROME_FLAGS=(--disable-background-networking --disable-component-update --disable-sync --no-first-run)
# Chromium's sandbox cannot start as root.
[ "$(id -u)" -ne 0 ] || CHROME_FLAGS+=(--no-sandbox)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

usage() {
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
  exit "${1:-2}"
}

# ---------------------------------------------------------------------------------------------
# Set-up
# ---------------------------------------------------------------------------------------------

APT_UPDATED=0
apt_install() {
  # $@: Debian package names. Installs them with apt-get as root or through sudo; otherwise names
  # them and stops, since nothing else may fetch a browser or a binary.
  local runner=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      runner=(sudo)
    else
      die "missing Debian packages: $*. Install them with: sudo apt-get install -y $*"
    fi
  fi
  if [ "$APT_UPDATED" -eq 0 ]; then
    say "apt-get update"
    "${runner[@]}" apt-get update -qq
    APT_UPDATED=1
  fi
  say "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive "${runner[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

ensure_system_packages() {
  local missing=()
  command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
  command -v ffprobe >/dev/null 2>&1 || missing+=(ffmpeg)
  command -v wasm-opt >/dev/null 2>&1 || missing+=(binaryen)
  command -v zip >/dev/null 2>&1 || missing+=(zip)
  case "${1:-}" in
    run)
      [ -x /usr/bin/chromium ] || missing+=(chromium)
      command -v python3 >/dev/null 2>&1 || missing+=(python3) # serves the demo page
      ;;
    test)
      [ -x /usr/bin/chromium ] || missing+=(chromium)
      [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
      # The e2e suite also loads the extension in Firefox (WebDriver BiDi), as users of it would.
      [ -x /usr/bin/firefox-esr ] || missing+=(firefox-esr)
      # The engine's MP3 encoder measurement encodes real speech (crates/engine/tests).
      command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)
      ;;
    package) command -v unzip >/dev/null 2>&1 || missing+=(unzip) ;;
    bench)
      command -v python3 >/dev/null 2>&1 || missing+=(python3)
      [ -x /usr/bin/chromium ] || missing+=(chromium)
      # The bench's sound: speech from espeak-ng, resampled by sox (bench/media.py).
      command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)
      command -v sox >/dev/null 2>&1 || missing+=(sox)
      ;;
  esac
  if [ "${#missing[@]}" -gt 0 ]; then
    # shellcheck disable=SC2207 # package names have no spaces
    missing=($(printf '%s\n' "${missing[@]}" | sort -u))
    apt_install "${missing[@]}"
  fi
  command -v node >/dev/null 2>&1 || apt_install nodejs npm
}

ensure_wasm_target() {
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
}

locked_version() {
  # The version Cargo.lock pins for package $1.
  awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

ensure_wasm_bindgen() {
  [ -f Cargo.lock ] || cargo generate-lockfile
  local want have
  want="$(locked_version wasm-bindgen)"
  [ -n "$want" ] || die "Cargo.lock pins no wasm-bindgen version"
  have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" || true
  if [ "$have" != "$want" ] || ! command -v wasm-bindgen-test-runner >/dev/null 2>&1; then
    say "cargo install wasm-bindgen-cli $want (Cargo.lock pins it; the glue must match exactly)"
    # --locked first; its lockfile can name a dependency version the registry no longer serves,
    # and then the unlocked install resolves the same crate at a served version.
    cargo install wasm-bindgen-cli --version "$want" --locked --force ||
      cargo install wasm-bindgen-cli --version "$want" --force
  fi
}

ensure_node_packages() {
  # $1: the directory of a package-lock.json (default: the e2e harness).
  local dir="${1:-$E2E_DIR}"
  [ -f "$dir/package-lock.json" ] || return 0
  local stamp="$dir/node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ "$dir/package-lock.json" -nt "$stamp" ]; then
    say "npm ci (${dir#"$ROOT"/})"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

setup() {
  ensure_system_packages "${1:-}"
  ensure_wasm_target
  ensure_wasm_bindgen
}

# ---------------------------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------------------------

# One wasm crate built for the browser:
#   wasm_package <crate> <wasm file stem> <out dir> <what> <cargo profile> <extra target features> <wasm-opt flags>
wasm_package() {
  local crate=$1 stem=$2 out=$3 profile=$5 features=$6 level=$7
  say "$4"
  # reference-types off: Debian's wasm-opt (binaryen 108) rewrites wasm-bindgen's externref
  # table into one the browser refuses ("WebAssembly.Table.set(): Argument 1 is invalid").
  # Without it the glue keeps JS values in a JS-side slab. RUSTFLAGS replaces the config's
  # rustflags, so the getrandom cfg of .cargo/config.toml is repeated here.
  RUSTFLAGS="--cfg getrandom_backend=\"wasm_js\" -C target-feature=-reference-types$features" \
    cargo build --profile "$profile" --target wasm32-unknown-unknown -p "$crate"
  rm -rf "$out"
  # --target web: ES modules (the popup's client; the engine's module worker).
  wasm-bindgen --target web --out-dir "$out" \
    "target/wasm32-unknown-unknown/$profile/$stem.wasm"
  # wasm-opt must know the features rustc enabled, or it rejects the module. No flags: none.
  local simd=() opt
  [[ "$features" != *simd128* ]] || simd=(--enable-simd)
  read -r -a opt <<<"$level"
  if [ "${#opt[@]}" -gt 0 ]; then
    wasm-opt "${opt[@]}" "${simd[@]}" --enable-bulk-memory --enable-nontrapping-float-to-int \
      --enable-sign-ext --enable-mutable-globals --enable-multivalue \
      "$out/${stem}_bg.wasm" -o "$out/${stem}_bg.wasm"
  fi
  local raw gz
  raw=$(stat -c %s "$out/${stem}_bg.wasm")
  gz=$(gzip -9c "$out/${stem}_bg.wasm" | wc -c)
  say "${stem}_bg.wasm: $raw bytes, $gz bytes gzipped"
}

build_wasm() {
  # Size first: the popup downloads and compiles it on every opening.
  wasm_package video-to-audio video_to_audio "$PKG_DIR" "wasm client (release) -> extension/pkg" \
    wasm-release "" "-Oz --converge"
}

ENGINE_DIR="$EXT_DIR/engine"

build_engine() {
  # Speed first, with SIMD (Chromium 91+, Firefox 89+): the engine runs every sample through
  # its codecs (a 60 s MP3 job 4.29 -> 3.52 CPU s from these flags alone; see Cargo.toml).
  # No wasm-opt: Debian's (binaryen 108) -O3 made the module slower in V8, not faster: a 60 s
  # clip's MP3 job took 2.38 CPU s with it, 1.99 s without (-O2: 2.52 s; medians of 3 in node,
  # bench/engine-profile.mjs, load ~9), for 4 % more bytes gzipped (746,012 vs 722,315).
  wasm_package v2a-engine-wasm v2a_engine_wasm "$ENGINE_DIR" \
    "wasm engine (release) -> extension/engine (loaded only by the job runner's worker)" \
    wasm-engine ",+simd128" ""
}

build_server() {
  say "server (release)"
  cargo build --release -p video-to-audio-server
}

cmd_build() {
  setup
  build_wasm
  build_engine
  build_server
}

# ---------------------------------------------------------------------------------------------
# Run
# ---------------------------------------------------------------------------------------------

SERVER_PIDS=()
TMP_DIRS=()
cleanup() {
  local pid
  for pid in "${SERVER_PIDS[@]:-}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  SERVER_PIDS=()
  [ "${#TMP_DIRS[@]}" -eq 0 ] || rm -rf "${TMP_DIRS[@]}"
}
trap cleanup EXIT
# A signal ends the script through EXIT, so servers started here never outlive it.
trap 'exit 130' INT TERM

# start_server VAR LOGFILE BINARY ARGS... sets VAR to the server's URL. The server prints
# "listening on http://ADDR" once bound; that line is what we wait for. Not meant for $(…):
# the PID has to reach this shell's SERVER_PIDS so that cleanup can stop the server.
start_server() {
  local var="$1" log="$2" bin="$3"
  shift 3
  "$bin" "$@" >"$log" 2>&1 &
  local pid=$! i found
  SERVER_PIDS+=("$pid")
  for i in $(seq 1 300); do
    found=$(sed -n 's/.*listening on \(http:\/\/[^ ]*\).*/\1/p' "$log" | head -n 1)
    if [ -n "$found" ]; then
      printf -v "$var" '%s' "$found"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; die "the server exited before listening"; }
    sleep 0.1
  done
  cat "$log" >&2
  die "the server did not start listening within 30 s"
}

# make_demo DIR: a page with a short video to try the extension on at once. Generated here with
# ffmpeg (a test picture and a 440 Hz tone), so nothing is downloaded; kept between runs.
make_demo() {
  local dir="$1"
  [ -s "$dir/demo.mp4" ] && [ -s "$dir/index.html" ] && return 0
  mkdir -p "$dir"
  ffmpeg -v error -y -f lavfi -i "testsrc2=size=640x360:rate=25:duration=20" \
    -f lavfi -i "sine=frequency=440:duration=20" -c:v libx264 -pix_fmt yuv420p \
    -c:a aac -b:a 128k -movflags +faststart -shortest -f mp4 "$dir/demo.mp4.part"
  mv "$dir/demo.mp4.part" "$dir/demo.mp4"
  cat >"$dir/index.html" <<'HTML'
<!doctype html>
<html lang="en">
<meta charset="utf-8">
<title>Video to Audio demo</title>
<style>body { font: 16px/1.5 system-ui, sans-serif; max-width: 44rem; margin: 2rem auto; padding: 0 1rem; }</style>
<h1>Video to Audio: demo page</h1>
<p>Click the extension's button in the toolbar. It lists this video; keep "Extract the audio
track as MP3" or ask for something else ("WAV, from 0:05 to 0:15", "podcast loudness"), then
press Extract. The browser saves the audio file a moment later.</p>
<video src="demo.mp4" controls width="640" height="360"></video>
HTML
}

cmd_run() {
  setup run
  build_wasm
  build_engine
  build_server
  mkdir -p "$ROOT/data"
  local url
  start_server url "$ROOT/data/server.log" "$ROOT/target/release/video-to-audio-server" \
    --listen "$LISTEN" --data-dir "$ROOT/data"
  tail -n +1 -f "$ROOT/data/server.log" &
  SERVER_PIDS+=("$!")
  say "backend serving at $url (health: $url/healthz; data in ./data)"
  make_demo "$ROOT/data/demo"
  # The interpreter itself, not a wrapper (pyenv's shim forks): cleanup must stop this PID.
  local python
  python=$(python3 -c 'import sys; print(sys.executable)')
  "$python" -m http.server --bind "${DEMO_LISTEN%:*}" --directory "$ROOT/data/demo" "${DEMO_LISTEN##*:}" \
    >"$ROOT/data/demo.log" 2>&1 &
  SERVER_PIDS+=("$!")
  local demo="http://$DEMO_LISTEN/"
  say "demo page with a video at $demo"
  if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x /usr/bin/chromium ]; then
    local profile
    profile=$(mktemp -d -t v2a-chromium-XXXXXX)
    say "starting Chromium with the extension loaded (profile $profile)"
    /usr/bin/chromium --user-data-dir="$profile" "${CHROME_FLAGS[@]}" \
      --disable-extensions-except="$EXT_DIR" --load-extension="$EXT_DIR" "$demo" \
      >/dev/null 2>&1 &
  else
    say "no display: load the extension by hand"
    printf '  1. open chrome://extensions, switch on Developer mode\n'
    printf '  2. "Load unpacked" and choose: %s\n' "$EXT_DIR"
    printf '  3. the extension talks to %s by default (Options to change it)\n' "$url"
    printf '  4. try it on the demo page: %s\n' "$demo"
  fi
  say "serving until Ctrl-C"
  wait "${SERVER_PIDS[0]}"
}

# ---------------------------------------------------------------------------------------------
# Test
# ---------------------------------------------------------------------------------------------

cmd_test() {
  setup test
  ensure_node_packages
  local started=$SECONDS

  say "cargo fmt --check"
  cargo fmt --all -- --check

  say "cargo clippy (native, all targets)"
  cargo clippy --workspace --all-targets -- -D warnings
  say "cargo clippy (wasm32, client and engine binding)"
  cargo clippy -p video-to-audio --target wasm32-unknown-unknown --all-targets -- -D warnings
  cargo clippy -p v2a-engine-wasm --target wasm32-unknown-unknown --all-targets -- -D warnings

  say "native tests (shared crates, engine, client crate, server unit tests)"
  cargo test -p v2a-protocol -p v2a-sse -p v2a-wording -p v2a-engine -p video-to-audio -p v2a-engine-wasm
  cargo test -p video-to-audio-server --lib --bins
  say "fuzz corpus replay (seeds and kept crash inputs, through the fuzz targets' checks)"
  cargo test --manifest-path fuzz/Cargo.toml --target-dir "$ROOT/target" --test corpus

  say "building the server for the browser tests"
  cargo build -p video-to-audio-server
  local bin="$ROOT/target/debug/video-to-audio-server" tmp
  tmp=$(mktemp -d -t v2a-test-XXXXXX)
  TMP_DIRS+=("$tmp")

  say "wasm tests in headless Chromium (against the real server)"
  start_server V2A_TEST_SERVER "$tmp/server.log" "$bin" --listen 127.0.0.1:0 \
    --data-dir "$tmp/data" --allow-origin '*'
  start_server V2A_TEST_LIMITED_SERVER "$tmp/limited.log" "$bin" --listen 127.0.0.1:0 \
    --data-dir "$tmp/limited" --allow-origin '*' --rate-limit-burst 3 --rate-limit-per-minute 60
  export V2A_TEST_SERVER V2A_TEST_LIMITED_SERVER
  CHROMEDRIVER=/usr/bin/chromedriver cargo test -p video-to-audio \
    --target wasm32-unknown-unknown --test 'wasm_*'
  cleanup
  say "wasm tests of the engine's binding in a dedicated worker of headless Chromium (Blob in, Blob out)"
  CHROMEDRIVER=/usr/bin/chromedriver cargo test -p v2a-engine-wasm --target wasm32-unknown-unknown

  say "server integration tests"
  cargo test -p video-to-audio-server --test '*'

  say "extension end-to-end tests (headless Chromium, unpacked extension, real server or none)"
  build_wasm
  build_engine
  if [ -f "$E2E_DIR/package.json" ]; then
    V2A_SERVER_BIN="$bin" node --test --test-concurrency=1 "$E2E_DIR"/*.test.mjs
  else
    die "tests/e2e has no harness"
  fi
  say "all tests passed in $((SECONDS - started)) s"
}

# ---------------------------------------------------------------------------------------------
# Bench and package
# ---------------------------------------------------------------------------------------------

cmd_bench() {
  # Writes bench/RESULTS.md. QUICK=1: fewer repetitions. V2A_BENCH_BEFORE=<server binary>: also
  # measures that build of the server (an earlier commit's) for before/after rows. ONLY=engine:
  # only the in-browser engine's rows, merged into the last run's results (bench/run.py).
  setup bench
  ensure_node_packages
  ensure_node_packages "$ROOT/bench"
  build_wasm
  build_engine
  build_server
  local before=()
  [ -z "${V2A_BENCH_BEFORE:-}" ] || before=(--before "$V2A_BENCH_BEFORE")
  python3 "$ROOT/bench/run.py" "$ROOT/target/release/video-to-audio-server" "${before[@]}"
}

# cargo-fuzz drives libFuzzer, which needs nightly flags; RUSTC_BOOTSTRAP lets the stable
# toolchain accept them. No sanitizer: the code under test is safe Rust, and without ASan the
# targets run several times faster; debug assertions catch overflows.
CARGO_FUZZ_VERSION=0.13.2
FUZZ_TARGETS=(sse wording sniff demux)

cmd_fuzz() {
  setup fuzz
  # libFuzzer itself is C++, built by libfuzzer-sys.
  command -v c++ >/dev/null 2>&1 || apt_install g++
  if [ "$(cargo fuzz --version 2>/dev/null | awk '{print $2}')" != "$CARGO_FUZZ_VERSION" ]; then
    say "cargo install cargo-fuzz $CARGO_FUZZ_VERSION"
    cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked --force
  fi
  local seconds="${FUZZ_SECONDS:-60}" target found=0
  for target in "${FUZZ_TARGETS[@]}"; do
    say "fuzzing $target for $seconds s"
    # A scratch copy of the seeds, so the corpus the fuzzer grows is not committed by accident.
    local work="$ROOT/fuzz/target/corpus/$target"
    mkdir -p "$work"
    cp -n "$ROOT/fuzz/corpus/$target"/* "$work"/ 2>/dev/null || true
    if ! (cd "$ROOT/fuzz" && RUSTC_BOOTSTRAP=1 cargo fuzz run --features fuzzing \
      --sanitizer none --debug-assertions "$target" "$work" -- \
      -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048); then
      found=1
      say "$target found a failure: keep its input from fuzz/artifacts/$target/ in fuzz/corpus/$target/ once fixed"
    fi
  done
  [ "$found" -eq 0 ] || die "a fuzz target failed"
  say "no failure in ${#FUZZ_TARGETS[@]} targets"
}

cmd_package() {
  setup package
  ensure_node_packages
  build_wasm
  build_engine
  local version out
  version=$(sed -n 's/^  *"version": *"\([^"]*\)".*/\1/p' "$EXT_DIR/manifest.json" | head -n 1)
  out="$ROOT/dist"
  rm -rf "$out"
  mkdir -p "$out"
  (cd "$EXT_DIR" && zip -qr -X "$out/video-to-audio-$version-chrome.zip" .)
  (cd "$EXT_DIR" && zip -qr -X "$out/video-to-audio-$version-firefox.zip" .)
  say "linting the Firefox package with web-ext"
  local unpacked
  unpacked=$(mktemp -d)
  TMP_DIRS+=("$unpacked")
  (cd "$unpacked" && unzip -q "$out/video-to-audio-$version-firefox.zip")
  (cd "$E2E_DIR" && npx --no-install web-ext lint --source-dir "$unpacked" --self-hosted)
  ls -l "$out"
}

case "${1:-}" in
  run) cmd_run ;;
  test) cmd_test ;;
  build) cmd_build ;;
  bench) cmd_bench ;;
  fuzz) cmd_fuzz ;;
  package) cmd_package ;;
  -h | --help | help) usage 0 ;;
  *) usage 2 ;;
esac
