// Collects garbage every 8 Blob reads (bench/engine-speed.mjs with GC=1; needs --expose-gc).
const orig = FileReaderSync.prototype.readAsArrayBuffer;
let reads = 0;
FileReaderSync.prototype.readAsArrayBuffer = function (b) {
  if (++reads % 8 === 0) self.gc();
  return orig.call(this, b);
};
