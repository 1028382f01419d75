// A Churnlab worker: the page sends the compiled wasm module once ("boot"),
// then requests that the module's `churnlab_worker_handle` answers. The
// one-file copy bundles the glue in front of this script (`churnlabGlue`);
// otherwise the page says where the glue is.
let glue = self.churnlabGlue || null;

self.onmessage = async (event) => {
  const message = event.data;
  if (message.kind === 'boot') {
    try {
      if (!glue) glue = await import(message.glue);
      await glue.default({ module_or_path: message.module });
      self.postMessage({ kind: 'ready' });
    } catch (err) {
      self.postMessage({ kind: 'boot-failed', error: String((err && err.message) || err) });
    }
    return;
  }
  try {
    const result = await glue.churnlab_worker_handle(message);
    const transfer = (result && result.transfer) || [];
    if (result) delete result.transfer;
    self.postMessage({ kind: 'result', id: message.id, result }, transfer);
  } catch (err) {
    // A trap (a Rust panic) or exhausted memory leaves the module unusable:
    // the page is told, and replaces this worker.
    const fatal = err instanceof WebAssembly.RuntimeError || err instanceof RangeError;
    self.postMessage({ kind: 'error', id: message.id, fatal, error: typeof err === 'string' ? err : String((err && err.message) || err) });
    if (fatal) self.close();
  }
};
