// What a service pays to know who calls it (issue #13): every authenticated
// request verified an Ed25519 access token and parsed its claims; the kit's
// VerifiedTokens keeps a verified token until it expires, so a repeated token
// costs a SHA-256 and a lookup. Both are timed here in the same run, on the
// same tokens (as many shoppers as the flash-sale bench, each sending its
// token again and again), in rounds so the JIT is warm for both.
//   npm run bench:tokens [-- --requests 40000 --shoppers 400 --rounds 3]
import { generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const { keyId, signAccessToken, verifyWith, VerifiedTokens } = require('../../apps/kit/dist/auth/jwt.js');
const { values } = parseArgs({ options: { requests: { type: 'string', default: '40000' }, shoppers: { type: 'string', default: '400' }, rounds: { type: 'string', default: '3' } } });
const [requests, shoppers, rounds] = [Number(values.requests), Number(values.shoppers), Number(values.rounds)];

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const keys = new Map([[keyId(publicKey), publicKey]]);
const source = { keys: () => Promise.resolve(keys) };
const tokens = Array.from({ length: shoppers }, (_, i) =>
  signAccessToken({ sub: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, email: `shopper${i}@example.com`, roles: [{ role: 'shopper' }] }, privateKey, publicKey, 900),
);
const perRequestMicros = async (verify) => {
  const start = process.hrtime.bigint();
  for (let i = 0; i < requests; i++) await verify(tokens[i % shoppers]);
  return Number(process.hrtime.bigint() - start) / requests / 1000;
};

console.log(`${requests} requests from ${shoppers} shoppers, µs of CPU per request (one process, sequential)`);
console.log('round  verified every time  VerifiedTokens  ratio');
for (let r = 0; r < rounds; r++) {
  const every = await perRequestMicros((t) => verifyWith(t, source));
  const cache = new VerifiedTokens(source);
  const kept = await perRequestMicros((t) => cache.verify(t));
  console.log(`${String(r + 1).padStart(5)}  ${every.toFixed(1).padStart(19)}  ${kept.toFixed(1).padStart(14)}  ${(every / kept).toFixed(0).padStart(5)}x`);
}
