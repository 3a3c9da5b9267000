#!/usr/bin/env node
// An in-process MQTT broker (aedes) for the `embedded` profile's pub/sub, used
// when no broker is installed. Messages live in memory: a restart of the broker
// loses what was queued, which is what `embedded` accepts for a laptop.
//   node scripts/infra/mqtt-broker.mjs --port 1883
import net from 'node:net';
import { Aedes } from 'aedes';

const portArg = process.argv.indexOf('--port');
const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 1883;

const broker = await Aedes.createBroker();
const server = net.createServer(broker.handle);
server.on('error', (err) => {
  console.error(JSON.stringify({ level: 'error', service: 'mqtt-broker', msg: err.message }));
  process.exit(1);
});
server.listen(port, '127.0.0.1', () => {
  console.log(JSON.stringify({ level: 'info', service: 'mqtt-broker', msg: 'ready', port }));
});
const stop = () => {
  server.close();
  broker.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
