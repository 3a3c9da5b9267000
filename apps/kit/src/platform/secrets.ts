import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The local secret file the `secretstore` component reads
 * (`.emporium/secrets.json`, never committed). Created once per checkout with
 * fresh random keys; in Kubernetes the same names come from Secrets.
 */
export function ensureSecretsFile(root: string): string {
  const file = join(root, '.emporium', 'secrets.json');
  if (existsSync(file)) return file;
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const secrets = {
    identity: {
      'jwt-private-key': privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      'jwt-public-key': publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    },
  };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return file;
}
