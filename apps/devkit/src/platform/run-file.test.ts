import { existsSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppIds } from '@emporium/contracts';
import { appDir, readRunFile } from './run-file';
import { repoRoot } from './repo';

describe('dapr.yaml', () => {
  it('when read, then every app-id is a contract constant and every app folder exists', () => {
    const root = repoRoot(__dirname);
    const file = readRunFile(root);
    for (const app of file.apps) {
      expect(Object.values(AppIds)).toContain(app.appID);
      expect(existsSync(join(appDir(root, app), 'package.json'))).toBe(true);
    }
  });

  function fixture(yaml: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'runfile-'));
    mkdirSync(join(dir, 'components'));
    writeFileSync(join(dir, 'dapr.yaml'), yaml);
    return dir;
  }

  it('when a key is misspelt, then it is refused', () => {
    const dir = fixture('version: 1\napps:\n  - appID: identity\n    appDirPath: x\n    appPort: 1\n    daprHTTPPort: 2\n    daprGRPCPort: 3\n    comand: [node]\n');
    expect(() => readRunFile(dir)).toThrow(/comand|command/);
  });

  it('when two apps share a port, then it is refused', () => {
    const app = (id: string, port: number) =>
      `  - appID: ${id}\n    appDirPath: x\n    appPort: ${port}\n    daprHTTPPort: ${port + 1}\n    daprGRPCPort: ${port + 2}\n    command: [node, main.js]\n`;
    expect(() => readRunFile(fixture(`version: 1\napps:\n${app('identity', 10)}${app('shop', 11)}`))).toThrow(/port 11 twice/);
  });
});
