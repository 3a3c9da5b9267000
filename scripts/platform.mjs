#!/usr/bin/env node
// `npm run platform -- <command> [app]`: talks to a running `npm run dev`
// through its control port (loopback only).
//   npm run platform -- list
//   npm run platform -- kill order       app and sidecar killed at once, as a crash
//   npm run platform -- start order      started again on the same ports; returns when ready
//   npm run platform -- restart order    kill, then start
const port = Number(process.env.EMPORIUM_CONTROL_PORT ?? 3698);
const [command, app] = process.argv.slice(2);
const base = `http://127.0.0.1:${port}/apps`;

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

if (command === 'list' || !command) {
  for (const a of (await call('GET', base)).items) console.log(`${a.appId.padEnd(14)} ${a.running ? 'running' : 'stopped'}`);
} else if (['kill', 'start', 'restart'].includes(command) && app) {
  if (command !== 'start') await call('POST', `${base}/${app}/kill`);
  if (command !== 'kill') await call('POST', `${base}/${app}/start`);
  console.log(`${app}: ${command === 'kill' ? 'killed' : 'running'}`);
} else {
  console.error('usage: npm run platform -- list | kill <app> | start <app> | restart <app>');
  process.exit(2);
}
