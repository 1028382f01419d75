// Builds Churnlab's one-file copy: one HTML file holding the page's wasm
// (base64), its wasm-bindgen glue and the boot code (one inline module), the
// styles, and the workers' module (its wasm, and its glue with the worker
// script), that opens from file:// with no server and no network.
// Its Content-Security-Policy allows exactly these inline pieces by hash.
// Used by scripts/post-build.mjs at build time (Node) and by the running
// app's "Save offline copy" (the browser), so both write the same file.

/** Base64 of bytes, in chunks (no call-stack limits on large inputs). */
function base64(bytes) {
  if (typeof Buffer !== 'undefined') return Buffer.from(bytes).toString('base64');
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** The wasm-bindgen glue (an ES module) as a classic worker script. */
function classicGlue(glue) {
  return glue
    .replace(/^export (class|function|async function|const|let) /gm, '$1 ')
    .replace(/^export \{[^}]*\};?[ \t]*$/gm, '')
    .replace(/import\.meta\.url/g, 'self.location.href');
}

/** What the inline module adds after the glue: start the module from the inlined bytes. */
const BOOT = `
// "Save offline copy" in the one-file app: this page as it was opened.
const churnlabPristine = '<!doctype html>\\n' + document.documentElement.outerHTML;
window.churnlabOfflineCopy = async () => churnlabPristine;
const churnlabBytes = (id) => {
  const binary = atob(document.getElementById(id).textContent);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
};
const churnlabWasm = churnlabBytes('churnlab-wasm');
// The workers' module, compiled when the app first asks for it.
let churnlabWorkerModule = null;
window.churnlabWorkerModule = () => (churnlabWorkerModule ??= WebAssembly.compile(churnlabBytes('churnlab-worker-wasm')));
// The worker: the workers' glue as a classic script (a page opened from
// file:// cannot start module workers), bundled in front of worker.js.
window.churnlabWorkerUrl = URL.createObjectURL(new Blob(
  [document.getElementById('churnlab-worker').textContent],
  { type: 'text/javascript' },
));
window.churnlabOneFile = true;
// The support check before it has said what this browser lacks.
if (!window.churnlabUnsupported) {
  try {
    await __wbg_init({ module_or_path: churnlabWasm });
    window.dispatchEvent(new CustomEvent('TrunkApplicationStarted'));
  } catch (err) {
    console.error(err);
    const boot = document.getElementById('boot');
    if (boot) {
      boot.classList.add('boot-failed');
      boot.textContent = 'Churnlab could not start: ' + (err && err.message ? err.message : String(err));
    }
  }
}
`;

/**
 * The one-file HTML. `parts`: { glue (JS text), wasm (Uint8Array), workerGlue
 * (JS text), workerWasm (Uint8Array), css (text),
 * worker (JS text), favicon (SVG text), support (support.js, JS text), build
 * (version) }; `sha256(text)`
 * resolves to the base64 SHA-256 of a UTF-8 string.
 */
export async function buildOneFile(parts, sha256) {
  const escapeScript = (text) => text.replace(/<\/script/gi, '<\\/script');
  const worker = [classicGlue(parts.workerGlue), 'self.churnlabGlue = { default: __wbg_init, churnlab_worker_handle };', parts.worker].join('\n');
  const module = escapeScript(parts.glue + '\n' + BOOT);
  const css = parts.css;
  const support = escapeScript(parts.support);
  const csp = [
    "default-src 'none'",
    `script-src 'sha256-${await sha256(support)}' 'sha256-${await sha256(module)}' 'wasm-unsafe-eval' blob:`,
    `style-src 'sha256-${await sha256(css)}'`,
    'img-src data: blob:',
    'connect-src blob: data:',
    'worker-src blob:',
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const icon = 'data:image/svg+xml;base64,' + base64(new TextEncoder().encode(parts.favicon));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<meta http-equiv="Content-Security-Policy" content="${csp}" />
<meta name="churnlab-build" content="${parts.build}" />
<meta name="description" content="Churnlab: the customer-churn machine-learning workshop in one file. No server, no account, no network." />
<title>Churnlab</title>
<link rel="icon" href="${icon}" type="image/svg+xml" />
<style>${css}</style>
</head>
<body>
<noscript>Churnlab needs JavaScript and WebAssembly.</noscript>
<div id="boot" class="boot" data-testid="boot">Loading Churnlab…</div>
<script type="text/plain" id="churnlab-worker">${escapeScript(worker)}</script>
<script type="application/octet-stream" id="churnlab-wasm">${base64(parts.wasm)}</script>
<script type="application/octet-stream" id="churnlab-worker-wasm">${base64(parts.workerWasm)}</script>
<script>${support}</script>
<script type="module">${module}</script>
</body>
</html>
`;
}
