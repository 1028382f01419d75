// Starts the Churnlab WebAssembly module. Kept out of index.html so the
// Content-Security-Policy can forbid inline scripts. Also registers the
// service worker that keeps the app working offline (served over http(s)
// only), and tells the app when a new build is ready to be used.
const tag = document.querySelector('script[data-js][data-wasm]');
// Script errors and failed promises, kept for the cross-browser tests (and
// for anyone reporting a bug from the console).
window.churnlabErrors = [];
window.addEventListener('error', (e) => window.churnlabErrors.push(String(e.error?.stack || e.message)));
window.addEventListener('unhandledrejection', (e) => window.churnlabErrors.push(String(e.reason?.stack || e.reason)));
const showFailure = (message) => {
  const boot = document.getElementById('boot');
  if (!boot) return;
  boot.classList.add('boot-failed');
  boot.textContent = 'Churnlab could not start: ' + message;
};

// The workers' module, compiled once, when the app first asks for it (once
// its first view is painted, or when a job needs a worker before that):
// the page hands the compiled module to each worker it starts. Where the
// server does not say application/wasm, it is compiled from its bytes.
let workerModule = null;
window.churnlabWorkerModule = () => {
  workerModule ??= (async () => {
    performance.mark('churnlab:worker-module-asked');
    const response = await fetch(tag.dataset.workerWasm);
    if (!response.ok) throw new Error(`the workers' module could not be read (HTTP ${response.status})`);
    const module = WebAssembly.compileStreaming && /application\/wasm/.test(response.headers.get('content-type') || '')
      ? await WebAssembly.compileStreaming(response)
      : await WebAssembly.compile(await response.arrayBuffer());
    // For bench/run cold: when the first job could have had it.
    performance.mark('churnlab:worker-module');
    return module;
  })();
  // A failure is not kept: the next job asks again.
  workerModule.catch(() => { workerModule = null; });
  return workerModule;
};
window.churnlabWorkerGlue = () => new URL(tag.dataset.workerJs, document.baseURI).href;

// Registered once the app runs, so the first visit's download is not shared
// with the precache (which then finds the hashed files in the HTTP cache).
function registerServiceWorker() {
  if (!('serviceWorker' in navigator) || !/^https?:$/.test(location.protocol) || new URLSearchParams(location.search).has('no-sw')) return;
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

// "Save offline copy": the same one-file churnlab.html the build writes,
// made from this build's own files (served from the offline cache when
// the network is off).
window.churnlabOfflineCopy = async () => {
  const base = document.baseURI;
  const fetchOk = async (url) => {
    const response = await fetch(new URL(url, base));
    if (!response.ok) throw new Error(`${url} could not be read (HTTP ${response.status})`);
    return response;
  };
  const text = async (url) => (await fetchOk(url)).text();
  const css = document.querySelector('link[rel="stylesheet"]');
  const bytes = (url) => fetchOk(url).then((r) => r.arrayBuffer()).then((b) => new Uint8Array(b));
  const [{ buildOneFile }, glue, wasm, workerGlue, workerWasm, style, worker, favicon, support] = await Promise.all([
    import(new URL('onefile.js', base).href),
    text(tag.dataset.js),
    bytes(tag.dataset.wasm),
    text(tag.dataset.workerJs),
    bytes(tag.dataset.workerWasm),
    css ? text(css.getAttribute('href')) : '',
    text('worker.js'),
    text('favicon.svg'),
    text('support.js'),
  ]);
  const build = document.querySelector('meta[name="churnlab-build"]')?.content || 'dev';
  const sha256 = async (value) => {
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value)));
    let binary = '';
    for (const b of digest) binary += String.fromCharCode(b);
    return btoa(binary);
  };
  return buildOneFile({ glue, wasm, workerGlue, workerWasm, css: style, worker, favicon, support, build }, sha256);
};

// support.js has already said what this browser lacks. How the start
// ended is kept in window.churnlabBoot ('unsupported', 'started', 'failed').
if (window.churnlabUnsupported) {
  window.churnlabBoot = 'unsupported';
} else {
  try {
    const glue = await import(tag.dataset.js);
    await glue.default({ module_or_path: tag.dataset.wasm });
    window.churnlabBoot = 'started';
    window.dispatchEvent(new CustomEvent('TrunkApplicationStarted'));
    registerServiceWorker();
  } catch (err) {
    window.churnlabBoot = 'failed';
    console.error(err);
    const message = err && err.message ? err.message : String(err);
    // A browser that cannot compile WebAssembly under the page's policy
    // ('wasm-unsafe-eval') is below the floor, whatever else it has.
    showFailure(/disallowed|unsafe-eval|security policy/i.test(message) ? `${message}. This browser does not allow WebAssembly under this page's security policy ('wasm-unsafe-eval'). ${window.churnlabFloor}` : message);
  }
}
