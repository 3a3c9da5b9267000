#!/usr/bin/env node
// npm run bench:checkout:statements — what PostgreSQL is asked to do for one checkout: every
// statement the platform's database received during an open loop of checkouts (the same client
// as bench:checkout), per completed checkout, by total execution time and by count, with where
// the CPU went beside it. Needs pg_stat_statements loaded by the server the platform uses
// (`shared_preload_libraries = 'pg_stat_statements'` and a restart; the script says so when it is
// not). Statistics are reset at the start of the measured loop, for the platform's database only
// in what is printed.
//   npm run bench:checkout:statements                    2 checkouts/s for 30 s
//   BENCH_RATE=3 BENCH_SECONDS=40 npm run bench:checkout:statements
import { execFileSync } from 'node:child_process';
import { openLoop } from '../lib/load.mjs';
import { cpuSpent, platformCpu, startPlatform } from '../lib/platform.mjs';
import { prepareShoppers } from '../lib/shopper.mjs';

const rate = Number(process.env.BENCH_RATE ?? 2);
const seconds = Number(process.env.BENCH_SECONDS ?? 30);

const platform = await startPlatform();
try {
  const url = new URL(platform.endpoints.endpoints.postgres);
  const database = decodeURIComponent(url.pathname.slice(1));
  // the statistics live in the server; read them from its maintenance database
  url.pathname = '/postgres';
  const psql = (sql) => execFileSync('psql', [url.toString(), '-v', 'ON_ERROR_STOP=1', '-AtF', '\t', '-c', sql], { encoding: 'utf8' });
  const loaded = psql(`SELECT count(*) FROM pg_settings WHERE name = 'shared_preload_libraries' AND setting ~ 'pg_stat_statements'`).trim() === '1';
  if (!loaded) {
    console.error(
      `pg_stat_statements is not loaded by the PostgreSQL at ${url.host}: ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements', restart the server, ` +
        `and run again (ALTER SYSTEM RESET shared_preload_libraries and a restart undo it)`,
    );
    process.exitCode = 2;
  } else {
    psql('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    const why = new Map();
    const failed = (reason) => (why.set(reason, (why.get(reason) ?? 0) + 1), false);
    const { checkoutOnce, leftUnfinished } = await prepareShoppers({ products: 1, buyers: 20, failed });
    await openLoop({ flow: checkoutOnce, rate: 2, seconds: 15 }); // warm-up
    await leftUnfinished();
    psql('SELECT pg_stat_statements_reset()');
    const before = platformCpu();
    const r = await openLoop({ flow: checkoutOnce, rate, seconds });
    await leftUnfinished();
    const cpu = cpuSpent(before, platformCpu());
    const n = Math.max(1, r.ok);
    const per = (s) => ((s * 1000) / n).toFixed(0);
    console.log(`${r.ok} checkouts completed at ${rate}/s offered for ${seconds} s (${r.failed} failed, ${r.refused} refused)${why.size ? `: ${[...why].map(([k, c]) => `${c}× ${k}`).join('; ')}` : ''}`);
    console.log(`CPU per completed checkout: ${per(cpu.total)} ms in all; ${cpu.rows.slice(0, 16).map((x) => `${x.name} ${per(x.seconds)}`).join(', ')}\n`);
    const of = `FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = '${database.replaceAll("'", "''")}')`;
    const [calls, exec] = psql(`SELECT round(sum(calls)::numeric / ${n}, 1), round(sum(total_exec_time)::numeric / ${n}, 1) ${of}`).trim().split('\t');
    console.log(`statements per checkout: ${calls}, executing for ${exec} ms (the server's CPU beyond that: parsing, the protocol, commits)\n`);
    const table = (title, order, limit) => {
      console.log(`${title}\n${'calls'.padStart(7)} ${'exec ms'.padStart(8)} ${'mean ms'.padStart(8)} ${'rows'.padStart(6)}  statement (per completed checkout)`);
      for (const line of psql(
        `SELECT round(calls::numeric / ${n}, 2), round(total_exec_time::numeric / ${n}, 2), round(mean_exec_time::numeric, 3), round(rows::numeric / greatest(calls, 1), 1), left(regexp_replace(query, '\\s+', ' ', 'g'), 150) ${of} ORDER BY ${order} DESC LIMIT ${limit}`,
      )
        .trim()
        .split('\n')) {
        const [c, e, m, rows, q] = line.split('\t');
        console.log(`${c.padStart(7)} ${e.padStart(8)} ${m.padStart(8)} ${rows.padStart(6)}  ${q}`);
      }
      console.log('');
    };
    table('by execution time', 'total_exec_time', 30);
    table('by count', 'calls', 30);
  }
} finally {
  await platform.stop();
}
