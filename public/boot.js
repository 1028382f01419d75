// Starts the Churnlab WebAssembly module. Kept out of index.html so the
// Content-Security-Policy can forbid inline scripts.
const tag = document.querySelector('script[data-js][data-wasm]');
const showFailure = (message) => {
  const boot = document.getElementById('boot');
  if (!boot) return;
  boot.classList.add('boot-failed');
  boot.textContent = 'Churnlab could not start: ' + message;
};
try {
  const glue = await import(tag.dataset.js);
  await glue.default({ module_or_path: tag.dataset.wasm });
  window.dispatchEvent(new CustomEvent('TrunkApplicationStarted'));
} catch (err) {
  console.error(err);
  showFailure(err && err.message ? err.message : String(err));
}
