// Ways to read a track's byte ranges from a Blob with FileReaderSync, timed (bench/read-strategies.mjs).
const reader = new FileReaderSync();
const read = (b) => reader.readAsArrayBuffer(b).byteLength;

/** Consecutive ranges in groups of about `budget` bytes (what the demuxer asks in one go). */
function groups(ranges, budget) {
  const out = []; let cur = []; let n = 0;
  for (const r of ranges) { cur.push(r); n += r[1]; if (n >= budget) { out.push(cur); cur = []; n = 0; } }
  if (cur.length) out.push(cur);
  return out;
}
/** Neighbouring ranges joined when the gap between them is at most `gap` bytes. */
function merge(ranges, gap) {
  const out = [];
  for (const [o, l] of ranges) {
    const last = out[out.length - 1];
    if (last && o - (last[0] + last[1]) <= gap) last[1] = o + l - last[0]; else out.push([o, l]);
  }
  return out;
}
const strategies = {
  // One Blob of the group's slices, read once (what the engine does now).
  composite: (blob, rs, budget) => groups(rs, budget).reduce((s, g) => s + read(new Blob(g.map(([o, l]) => blob.slice(o, o + l)))), 0),
  // The same after joining ranges closer than 64 KB (some video bytes read too).
  merged64k: (blob, rs, budget) => groups(rs, budget).reduce((s, g) => s + read(new Blob(merge(g, 65536).map(([o, l]) => blob.slice(o, o + l)))), 0),
  merged1m: (blob, rs, budget) => groups(rs, budget).reduce((s, g) => s + read(new Blob(merge(g, 1 << 20).map(([o, l]) => blob.slice(o, o + l)))), 0),
  // One plain slice from the group's first byte to its last (every video byte between).
  span: (blob, rs, budget) => groups(rs, budget).reduce((s, g) => { const [o] = g[0]; const [lo, ll] = g[g.length - 1]; return s + read(blob.slice(o, lo + ll)); }, 0),
  // Plain slices over runs of ranges, each at most `budget` bytes from first to last byte.
  capped: (blob, rs, budget) => {
    let s = 0; let i = 0;
    while (i < rs.length) {
      const start = rs[i][0]; let end = start + rs[i][1]; i++;
      while (i < rs.length && rs[i][0] + rs[i][1] - start <= budget) { end = rs[i][0] + rs[i][1]; i++; }
      s += read(blob.slice(start, end));
    }
    return s;
  },
  // Whole file in plain windows.
  windows: (blob, rs, budget) => { let s = 0; for (let o = 0; o < blob.size; o += budget) s += read(blob.slice(o, o + budget)); return s; },
};
onmessage = ({ data: { blob, ranges, runs } }) => {
  const results = [];
  for (const [name, budget] of runs) {
    const t = performance.now();
    const bytes = strategies[name](blob, ranges, budget);
    results.push({ name, budget, ms: Math.round(performance.now() - t), mb: +(bytes / 1e6).toFixed(1) });
  }
  postMessage(results);
};
