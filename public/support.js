// Checks, before the app's module is fetched, that this browser has what
// Churnlab is built on, and otherwise says plainly what is missing and
// which browsers work, instead of a blank page. A classic script in old
// syntax, so that even a browser that cannot parse the app's modules runs
// it. It sets window.churnlabUnsupported (the missing features) for boot.js
// and window.churnlabFloor (the versions that work).
(function () {
  'use strict';
  var FLOOR = 'Churnlab works in Chrome or Edge 97 or later, Firefox 114 or later, and Safari 16.4 or later (on iPad and iPhone, iOS 16.4 or later).';
  window.churnlabFloor = FLOOR;
  var missing = [];
  // A function returning a v128 constant: only a SIMD-capable engine validates it.
  var SIMD_MODULE = [0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11];
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.validate !== 'function') {
    missing.push('WebAssembly');
  } else {
    var simd = false;
    try { simd = WebAssembly.validate(new Uint8Array(SIMD_MODULE)); } catch (e) { simd = false; }
    if (!simd) missing.push('WebAssembly SIMD');
  }
  // Module workers: the constructor reads `type` before it rejects the
  // (deliberately invalid) address, so nothing is fetched or started.
  // The one-file copy starts classic workers and does not need them.
  var oneFile = !!document.getElementById('churnlab-wasm');
  if (!oneFile) {
    var moduleWorkers = false;
    try {
      new Worker('http://[', { get type() { moduleWorkers = true; return 'module'; } });
    } catch (e) { /* the address is invalid on purpose */ }
    if (typeof Worker !== 'function' || !moduleWorkers) missing.push('module workers');
  }
  if (typeof Promise !== 'function' || typeof BigInt !== 'function') missing.push('modern JavaScript');
  if (!missing.length) return;
  window.churnlabUnsupported = missing;
  var show = function () {
    var boot = document.getElementById('boot');
    if (!boot) return;
    boot.className = 'boot boot-failed';
    boot.setAttribute('role', 'alert');
    boot.setAttribute('data-testid', 'unsupported-browser');
    boot.textContent = 'Churnlab cannot run in this browser: it lacks ' + missing.join(', ') + '. ' + FLOOR;
  };
  if (document.getElementById('boot')) show();
  else document.addEventListener('DOMContentLoaded', show);
})();
