#!/usr/bin/env node
// `npm run platform -- <command> [app]`: talks to a running `npm run dev`
// through its control port (loopback only).
//   npm run platform -- list
//   npm run platform -- kill order       app and sidecar killed at once, as a crash
//   npm run platform -- start order      started again on the same ports; returns when ready
//   npm run platform -- restart order    kill, then start
//   npm run platform -- kill-sidecar order   the sidecar alone (start brings it back)
//   npm run platform -- kill placement   placement, scheduler, sentry, and the embedded
//                                        postgres and mqtt broker the runner started itself
//   npm run platform -- renew-trust      (stopped platform) a new mTLS trust bundle on the next start
const port = Number(process.env.EMPORIUM_CONTROL_PORT ?? 3698);
const [command, app] = process.argv.slice(2);
const base = `http://127.0.0.1:${port}/apps`;
const platformBase = `http://127.0.0.1:${port}/platform`;

async function call(method, url) {
  let res;
  try {
    res = await fetch(url, { method });
  } catch {
    console.error(`nothing answers on ${base}: is npm run dev running?`);
    process.exit(1);
  }
  const body = await res.json();
  if (!res.ok) {
    console.error(body.error ?? `${res.status}`);
    process.exit(1);
  }
  return body;
}

if (command === 'renew-trust') {
  // the bundle Sentry made on the first start; the next start makes a new one
  const { existsSync, rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { repoRoot } = await import('./lib/paths.mjs');
  const live = await fetch(`${base}`).then(() => true, () => false);
  if (live) {
    console.error('stop npm run dev first: every sidecar holds the current trust anchors');
    process.exit(1);
  }
  const dir = join(repoRoot, '.emporium', 'dapr-credentials');
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  console.log('trust bundle removed: the next npm run dev makes a new root and issuer');
} else if (command === 'list' || !command) {
  for (const a of (await call('GET', base)).items) console.log(`${a.appId.padEnd(14)} ${a.running ? 'running' : 'stopped'}${a.running && !a.sidecarRunning ? ' (sidecar stopped)' : ''}`);
  for (const p of (await call('GET', platformBase)).items) console.log(`${p.name.padEnd(14)} ${p.running ? 'running' : 'stopped'}`);
} else if (['kill', 'start', 'restart', 'kill-sidecar'].includes(command) && app) {
  // an app of dapr.yaml, or a part of the platform (placement, scheduler, sentry, embedded infrastructure)
  const parts = (await call('GET', platformBase)).items.map((p) => p.name);
  const at = parts.includes(app) && command !== 'kill-sidecar' ? `${platformBase}/${app}` : `${base}/${app}`;
  if (command !== 'start') await call('POST', `${at}/${command === 'kill-sidecar' ? 'kill-sidecar' : 'kill'}`);
  if (command === 'restart' || command === 'start') await call('POST', `${at}/start`);
  console.log(`${app}: ${command === 'kill' ? 'killed' : command === 'kill-sidecar' ? 'sidecar killed' : 'running'}`);
} else {
  console.error('usage: npm run platform -- list | kill <app|part> | start <app|part> | restart <app|part> | kill-sidecar <app> | renew-trust');
  process.exit(2);
}
