// Starts the Churnlab WebAssembly module. Kept out of index.html so the
// Content-Security-Policy can forbid inline scripts. Also registers the
// service worker that keeps the app working offline (served over http(s)
// only), and tells the app when a new build is ready to be used.
const tag = document.querySelector('script[data-js][data-wasm]');
const showFailure = (message) => {
  const boot = document.getElementById('boot');
  if (!boot) return;
  boot.classList.add('boot-failed');
  boot.textContent = 'Churnlab could not start: ' + message;
};

if ('serviceWorker' in navigator && /^https?:$/.test(location.protocol) && !new URLSearchParams(location.search).has('no-sw')) {
  const ready = () => {
    window.churnlabUpdateReady = true;
    window.dispatchEvent(new CustomEvent('churnlab-update-ready'));
  };
  navigator.serviceWorker
    .register('sw.js', { scope: './' })
    .then((registration) => {
      // A build installed and waiting while this page runs an older one.
      if (registration.waiting && navigator.serviceWorker.controller) ready();
      registration.addEventListener('updatefound', () => {
        const installing = registration.installing;
        installing?.addEventListener('statechange', () => {
          if (installing.state === 'installed' && navigator.serviceWorker.controller) ready();
        });
      });
    })
    .catch((err) => console.warn('Churnlab works online only here: the service worker did not register:', err));
  // "Reload to update": the waiting build takes over, then the page reloads once.
  window.churnlabApplyUpdate = async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    if (!registration || !registration.waiting) return false;
    navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
    registration.waiting.postMessage({ type: 'skip-waiting' });
    return true;
  };
}

try {
  const glue = await import(tag.dataset.js);
  await glue.default({ module_or_path: tag.dataset.wasm });
  window.dispatchEvent(new CustomEvent('TrunkApplicationStarted'));
} catch (err) {
  console.error(err);
  showFailure(err && err.message ? err.message : String(err));
}
