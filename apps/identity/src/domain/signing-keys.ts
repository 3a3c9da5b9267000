import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { jwksOf, keyId, type Sidecar } from '@emporium/kit';
import type { Jwks } from '@emporium/contracts';

/** The Ed25519 key identity signs with, read once from the Dapr secret store. */
export interface SigningKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
  kid: string;
  verifying: ReadonlyMap<string, KeyObject>;
  jwks: Jwks;
}

export async function loadSigningKeys(sidecar: Sidecar, store: string, name: string, key = name): Promise<SigningKeys> {
  const pem = await sidecar.getSecret(store, name, key);
  if (!pem) throw new Error(`secret ${name} (key ${key}) is missing from the ${store} secret store`);
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`secret ${name} is not an Ed25519 private key`);
  const publicKey = createPublicKey(privateKey);
  const kid = keyId(publicKey);
  return { privateKey, publicKey, kid, verifying: new Map([[kid, publicKey]]), jwks: jwksOf([publicKey]) };
}

/**
 * The sidecar comes up after the app listens, so the key is read on first
 * use (and retried after a failure), not at build time.
 */
export function lazySigningKeys(load: () => Promise<SigningKeys>): () => Promise<SigningKeys> {
  let pending: Promise<SigningKeys> | undefined;
  return () => {
    pending ??= load().catch((err: unknown) => {
      pending = undefined;
      throw err;
    });
    return pending;
  };
}
