import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { generatedFiles } from './documents';
import { lazyIndexFile, lazyIndexSource } from './lazy-index';
import * as index from '../index';
import * as lazyIndex from '../lazy-index';

const generatedDir = join(__dirname, '..', '..', 'generated');

function filesOnDisk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesOnDisk(p) : [relative(generatedDir, p)];
  });
}

describe('contracts/generated', () => {
  it('when the schemas change, then the checked-in documents are regenerated (npm run contracts:generate)', () => {
    const expected = generatedFiles();
    expect(filesOnDisk(generatedDir).sort()).toEqual(Object.keys(expected).sort());
    for (const [path, text] of Object.entries(expected)) {
      expect({ path, text: readFileSync(join(generatedDir, path), 'utf8') }).toEqual({ path, text });
    }
  });

  it('when generated, then the OpenAPI document names the Idempotency-Key and problem answers', () => {
    const doc = JSON.parse(generatedFiles()['openapi.json']!) as { openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/readyz']!.get!.responses).toHaveProperty('503');
    expect(doc.paths['/healthz']!.get!.responses).toHaveProperty('default');
    const register = doc.paths['/auth/register']!.post as unknown as { parameters: { name: string; in: string; required: boolean }[] };
    expect(register.parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true }));
  });
});

describe('contracts/src/lazy-index.ts (the package entry point)', () => {
  it('when the exports change, then the entry point is regenerated (npm run contracts:generate)', () => {
    expect(readFileSync(lazyIndexFile, 'utf8')).toBe(lazyIndexSource());
  });

  it('when read, then it gives every name of index.ts with the same value, the same events and each app its operations', () => {
    const eager = index as unknown as Record<string, unknown>;
    const lazy = lazyIndex as unknown as Record<string, unknown>;
    expect(Object.keys(lazy).sort()).toEqual(Object.keys(eager).sort());
    for (const name of Object.keys(eager).filter((n) => n !== 'PlatformEvents' && n !== 'operationsOf')) expect({ name, same: lazy[name] === eager[name] }).toEqual({ name, same: true });
    const events = lazy['PlatformEvents'] as typeof index.PlatformEvents;
    expect(Object.keys(events).sort()).toEqual(Object.keys(index.PlatformEvents).sort());
    for (const topic of Object.keys(index.PlatformEvents) as (keyof typeof index.PlatformEvents)[]) expect(events[topic]).toBe(index.PlatformEvents[topic]);
    const operationsOf = lazy['operationsOf'] as typeof index.operationsOf;
    for (const appId of Object.values(index.AppIds)) {
      const [lazyOps, eagerOps] = [operationsOf(appId), index.operationsOf(appId)];
      expect({ appId, ids: lazyOps.map((op) => op.operationId).sort() }).toEqual({ appId, ids: eagerOps.map((op) => op.operationId).sort() });
      expect(lazyOps.every((op) => eagerOps.includes(op))).toBe(true);
    }
  });
});
