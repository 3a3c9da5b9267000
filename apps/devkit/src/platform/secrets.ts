import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The local secret file the `secretstore` component reads
 * (`.emporium/secrets.json`, never committed), with fresh random values made
 * once per checkout. A value added here later is filled into an existing
 * file; values already there never change. In Kubernetes the same names come
 * from Secrets.
 */
const makers: Record<string, Record<string, () => string>> = {
  identity: {
    'jwt-private-key': () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  },
  payment: {
    // shared with the provider simulator, as an account's keys are with a real provider
    'provider-api-key': () => randomBytes(24).toString('base64url'),
    'provider-webhook-secret': () => randomBytes(32).toString('base64url'),
  },
  logistics: {
    // shared with the carrier simulator, as an account's keys are with a real tracking provider
    'carrier-api-key': () => randomBytes(24).toString('base64url'),
    'carrier-webhook-secret': () => randomBytes(32).toString('base64url'),
  },
};

export type PlatformSecrets = Record<string, Record<string, string>>;

const missing = (secrets: PlatformSecrets) => Object.entries(makers).some(([scope, values]) => Object.keys(values).some((name) => !secrets[scope]?.[name]));
const read = (file: string) => (existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as PlatformSecrets) : {});

/** Runs `fn` holding `<file>.lock`: parallel test workers and the runner fill the file one at a time. */
function withLock<T>(file: string, fn: () => T): T {
  const lock = `${file}.lock`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx'));
      break;
    } catch {
      // a lock left by a killed process goes stale after 30 s
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 30_000) rmSync(lock, { force: true });
      if (Date.now() > deadline) throw new Error(`${lock} is held by another process`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

export function ensureSecretsFile(root: string): string {
  const file = join(root, '.emporium', 'secrets.json');
  if (!missing(read(file))) return file;
  mkdirSync(dirname(file), { recursive: true });
  withLock(file, () => {
    const secrets = read(file);
    for (const [scope, values] of Object.entries(makers)) {
      for (const [name, make] of Object.entries(values)) {
        if (!secrets[scope]?.[name]) secrets[scope] = { ...secrets[scope], [name]: make() };
      }
    }
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, file);
  });
  return file;
}

/** The secrets of the local file, for processes outside Dapr (the provider simulator). */
export function readSecrets(root: string): PlatformSecrets {
  return read(ensureSecretsFile(root));
}
