// The baseline: a bare Express endpoint answering a fixed body, no sidecar,
// no database. `node bare-express.mjs <port> <body-file>`
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const express = require('express');
const [port, bodyFile] = process.argv.slice(2);
const body = readFileSync(bodyFile, 'utf8');
const app = express();
app.get('/products/:id', (_req, res) => res.type('application/json').send(body));
app.listen(Number(port), '127.0.0.1', () => console.log('ready'));
