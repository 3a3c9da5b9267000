import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { generatedFiles } from './documents';

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
