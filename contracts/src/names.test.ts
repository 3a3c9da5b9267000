import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ComponentNames, DaprConfigName } from './names';

/** The constants in names.ts and the YAML in components/ must not drift apart. */
const componentsDir = join(__dirname, '..', '..', 'components');
const metadataName = (file: string) => /^metadata:\s*\n\s+name:\s*(\S+)/m.exec(readFileSync(file, 'utf8'))?.[1];
const profileDirs = readdirSync(componentsDir, { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== 'shared');

describe('component names', () => {
  it.each(profileDirs.map((d) => d.name))('when profile %s is loaded, then it defines every named component', (profile) => {
    const names = [profile, 'shared'].flatMap((dir) =>
      readdirSync(join(componentsDir, dir)).filter((f) => f.endsWith('.yaml')).map((f) => metadataName(join(componentsDir, dir, f))),
    );
    for (const name of Object.values(ComponentNames)) expect(names).toContain(name);
  });

  it('when the Configuration is loaded, then its name is the constant', () => {
    expect(metadataName(join(componentsDir, 'config.yaml'))).toBe(DaprConfigName);
  });
});
