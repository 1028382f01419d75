// Trunk's post-build hook (see Trunk.toml), also usable on any built folder:
//   node scripts/post-build.mjs <dist dir>
// 1. Names the workers' module (which Trunk leaves unhashed) by its bytes'
//    hash, and tells boot.js where it is (data-worker-js, data-worker-wasm).
// 2. Names the build: a hash of every file's name and bytes.
// 3. Writes sw.js, the service worker, with exactly this build's files to
//    precache (listed from the folder, never by hand) and the build's name.
// 4. Stamps index.html with the build's name.
// 5. Writes churnlab.html, the one-file copy (public/onefile.js builds it).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const ONE_FILE = 'churnlab.html';
const SERVICE_WORKER = 'sw.js';
/** Files the app never asks for, left out of the precache list. */
const NOT_PRECACHED = new Set([SERVICE_WORKER, ONE_FILE, '.trunk-lock']);

/** Gives the workers' module hashed names; returns them (already named: as found). */
function nameWorkerModule(dir) {
  const hashed = (bytes) => crypto.createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  const named = {};
  for (const [key, plain, suffix] of [['js', 'churnlab-worker.js', '.js'], ['wasm', 'churnlab-worker_bg.wasm', '_bg.wasm']]) {
    const from = path.join(dir, plain);
    if (fs.existsSync(from)) {
      named[key] = `churnlab-worker-${hashed(fs.readFileSync(from))}${suffix}`;
      fs.renameSync(from, path.join(dir, named[key]));
    } else {
      const pattern = new RegExp(`^churnlab-worker-[0-9a-f]+${suffix.replace('.', '\\.')}$`);
      named[key] = fs.readdirSync(dir).find((f) => pattern.test(f));
      if (!named[key]) throw new Error(`post-build: no ${plain} (nor a hashed one) in ${dir}`);
    }
  }
  const indexPath = path.join(dir, 'index.html');
  const index = fs
    .readFileSync(indexPath, 'utf8')
    .replace(/ data-worker-js="[^"]*" data-worker-wasm="[^"]*"/, '')
    .replace(/(<script type="module" src="[^"]*boot\.js" data-js="[^"]*" data-wasm="[^"]*")/, `$1 data-worker-js="./${named.js}" data-worker-wasm="./${named.wasm}"`);
  if (!index.includes(`data-worker-wasm="./${named.wasm}"`)) throw new Error(`post-build: no boot.js script tag in ${indexPath}`);
  fs.writeFileSync(indexPath, index);
  return named;
}

export async function finishBuild(dir) {
  const workerModule = nameWorkerModule(dir);
  const names = fs.readdirSync(dir).filter((f) => fs.statSync(path.join(dir, f)).isFile() && !NOT_PRECACHED.has(f)).sort();
  const hash = crypto.createHash('sha256');
  for (const f of names) {
    hash.update(f);
    hash.update(fs.readFileSync(path.join(dir, f)));
  }
  const build = hash.digest('hex').slice(0, 16);

  const indexPath = path.join(dir, 'index.html');
  let index = fs.readFileSync(indexPath, 'utf8').replace(/<meta name="churnlab-build" content="[^"]*" \/>\n?\s*/, '');
  index = index.replace('<meta charset="utf-8" />', `<meta charset="utf-8" />\n    <meta name="churnlab-build" content="${build}" />`);
  fs.writeFileSync(indexPath, index);

  const template = fs.readFileSync(path.join(here, 'sw-template.js'), 'utf8');
  const precache = names;
  fs.writeFileSync(
    path.join(dir, SERVICE_WORKER),
    template.replace('__BUILD__', JSON.stringify(build)).replace('__FILES__', JSON.stringify(precache, null, 2)),
  );

  const find = (re) => {
    const f = names.find((n) => re.test(n));
    if (!f) throw new Error(`post-build: no file matching ${re} in ${dir}`);
    return path.join(dir, f);
  };
  const { buildOneFile } = await import(pathToFileURL(path.join(dir, 'onefile.js')).href);
  const html = await buildOneFile(
    {
      glue: fs.readFileSync(find(/^churnlab-[0-9a-f]+\.js$/), 'utf8'),
      wasm: fs.readFileSync(find(/^churnlab-[0-9a-f]+_bg\.wasm$/)),
      workerGlue: fs.readFileSync(path.join(dir, workerModule.js), 'utf8'),
      workerWasm: fs.readFileSync(path.join(dir, workerModule.wasm)),
      css: fs.readFileSync(find(/^style-[0-9a-f]+\.css$/), 'utf8'),
      worker: fs.readFileSync(path.join(dir, 'worker.js'), 'utf8'),
      favicon: fs.readFileSync(path.join(dir, 'favicon.svg'), 'utf8'),
      support: fs.readFileSync(path.join(dir, 'support.js'), 'utf8'),
      build,
    },
    async (text) => crypto.createHash('sha256').update(text, 'utf8').digest('base64'),
  );
  fs.writeFileSync(path.join(dir, ONE_FILE), html);
  return { build, files: precache, oneFileBytes: Buffer.byteLength(html) };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = process.argv[2] || process.env.TRUNK_STAGING_DIR;
  if (!dir) {
    console.error('usage: node scripts/post-build.mjs <dist dir> (or run as Trunk post_build hook)');
    process.exit(2);
  }
  const { build, files, oneFileBytes } = await finishBuild(dir);
  console.log(`[post-build] build ${build}: ${files.length} files precached, ${ONE_FILE} ${(oneFileBytes / 1e6).toFixed(1)} MB`);
}
