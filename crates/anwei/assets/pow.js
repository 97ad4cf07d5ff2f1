// Anwei: the public report form's proof-of-work (防刷验证), served by Anwei itself.
// Progressive enhancement only: without this script the form still works, under the
// stricter per-address limit. It finds a nonce such that SHA-256("<challenge>:<nonce>")
// starts with data-bits zero bits (hashcash) and puts it in the hidden pow_nonce field.
(function () {
  "use strict";
  var ch = document.getElementById("pow_challenge");
  var out = document.getElementById("pow_nonce");
  if (!ch || !out || !ch.value || !ch.form) { return; }
  var form = ch.form;
  var bits = parseInt(ch.getAttribute("data-bits"), 10) || 0;
  var K = new Int32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ]);
  var IV = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
  var w = new Int32Array(64);

  function compress(H, bytes, off) {
    var i;
    for (i = 0; i < 16; i++) {
      var j = off + i * 4;
      w[i] = (bytes[j] << 24) | (bytes[j + 1] << 16) | (bytes[j + 2] << 8) | bytes[j + 3];
    }
    for (i = 16; i < 64; i++) {
      var x = w[i - 15], y = w[i - 2];
      var s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      var s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
    var a = H[0], b = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], h = H[7];
    for (i = 0; i < 64; i++) {
      var S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      var t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
      var S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      var t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    H[0] = (H[0] + a) | 0; H[1] = (H[1] + b) | 0; H[2] = (H[2] + c) | 0; H[3] = (H[3] + d) | 0;
    H[4] = (H[4] + e) | 0; H[5] = (H[5] + f) | 0; H[6] = (H[6] + g) | 0; H[7] = (H[7] + h) | 0;
  }

  // The challenge is ASCII; its whole 64-byte blocks are hashed once (the midstate).
  var prefix = ch.value + ":";
  var full = Math.floor(prefix.length / 64) * 64;
  var pbytes = new Uint8Array(prefix.length);
  for (var p = 0; p < prefix.length; p++) { pbytes[p] = prefix.charCodeAt(p) & 0xff; }
  var mid = new Int32Array(IV);
  for (var o = 0; o < full; o += 64) { compress(mid, pbytes, o); }
  var tailLen = prefix.length - full;
  var buf = new Uint8Array(128);
  var H = new Int32Array(8);

  function solves(n) {
    var s = String(n);
    var len = tailLen + s.length;
    buf.fill(0);
    buf.set(pbytes.subarray(full), 0);
    for (var i = 0; i < s.length; i++) { buf[tailLen + i] = s.charCodeAt(i); }
    buf[len] = 0x80;
    var blocks = len + 9 <= 64 ? 1 : 2;
    var bitLen = (prefix.length + s.length) * 8;
    var end = blocks * 64;
    buf[end - 4] = (bitLen >>> 24) & 0xff;
    buf[end - 3] = (bitLen >>> 16) & 0xff;
    buf[end - 2] = (bitLen >>> 8) & 0xff;
    buf[end - 1] = bitLen & 0xff;
    H.set(mid);
    compress(H, buf, 0);
    if (blocks === 2) { compress(H, buf, 64); }
    var left = bits;
    for (var k = 0; left > 0; k++) {
      if (left >= 32) {
        if (H[k] !== 0) { return false; }
        left -= 32;
      } else {
        return (H[k] >>> (32 - left)) === 0;
      }
    }
    return true;
  }

  var n = 0, done = false, waiting = false;
  function work() {
    var stop = n + 20000;
    for (; n < stop; n++) {
      if (solves(n)) {
        out.value = String(n);
        done = true;
        form.setAttribute("data-pow", "solved");
        if (waiting) { form.submit(); }
        return;
      }
    }
    setTimeout(work, 0);
  }
  // Sent before the work is done: wait for it, then send.
  form.addEventListener("submit", function (e) {
    if (done) { return; }
    e.preventDefault();
    waiting = true;
    var hint = document.getElementById("pow-wait");
    if (hint) { hint.hidden = false; }
  });
  work();
})();
