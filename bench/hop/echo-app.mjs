// The app behind `npm run bench:hop`'s sidecars: answers POST /echo with the
// body it was sent, on node:http, so what is measured around it is the hop
// and not the app. Nothing here is part of the platform.
//   node echo-app.mjs <port>
import { createServer } from 'node:http';

const port = Number(process.argv[2]);
createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/octet-stream', 'content-length': body.length });
    res.end(body);
  });
})
  .listen(port, '127.0.0.1', () => console.log('ready'))
  .keepAliveTimeout = 60_000;
