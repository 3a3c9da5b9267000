#!/usr/bin/env node
// `npm run search:rebuild`: rebuilds the search index from catalog's published
// products and inventory's stock on the running platform, with a progress bar.
// Events keep being applied while it runs; a rebuild already running (in any
// replica of search) is followed instead of started twice.
//   EMPORIUM_ADMIN_EMAIL=… EMPORIUM_ADMIN_PASSWORD=… npm run search:rebuild
// Without them it signs in as the demo seed's admin, made (or its password set)
// through identity's CLI against the running platform's database.
import { api, createPlatformAdmin } from '@emporium/devkit/client';

const email = process.env.EMPORIUM_ADMIN_EMAIL ?? 'admin@demo.emporium.dev';
const password = process.env.EMPORIUM_ADMIN_PASSWORD ?? process.env.EMPORIUM_DEMO_PASSWORD ?? 'emporium-demo-2026';
if (!process.env.EMPORIUM_ADMIN_EMAIL) createPlatformAdmin(email, password, process.env.DATABASE_URL);
const token = (await api('POST', '/auth/login', { body: { login: email, password } })).accessToken;

const tty = process.stdout.isTTY;
const width = 30;
let lastShown = -1;
const show = (p) => {
  const share = p.total > 0 ? Math.min(1, p.indexed / p.total) : p.status === 'done' ? 1 : 0;
  const filled = Math.round(share * width);
  const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(share * 100)).padStart(3)}%  ${p.indexed}/${p.total} products`;
  if (tty) process.stdout.write(`\r${line}`);
  else if (Math.floor(share * 10) !== lastShown) {
    // a log file gets a line per tenth, not a carriage-return smear
    lastShown = Math.floor(share * 10);
    console.log(line);
  }
};

let progress = await api('POST', '/admin/search/rebuild', { token });
while (progress.status === 'running') {
  show(progress);
  await new Promise((r) => setTimeout(r, 250));
  progress = await api('GET', '/admin/search/rebuild', { token });
}
show(progress);
if (tty) process.stdout.write('\n');
if (progress.status !== 'done') {
  console.error(`search:rebuild: ${progress.status}${progress.error ? `: ${progress.error}` : ''}`);
  process.exit(1);
}
const seconds = ((Date.parse(progress.finishedAt) - Date.parse(progress.startedAt)) / 1000).toFixed(1);
console.log(`search index rebuilt: ${progress.indexed} products in ${seconds} s, ${progress.removed} no longer published taken out`);
