#!/usr/bin/env node
// `npm run new:service <name>`: a new service on the kit, wired into every
// list that names the platform's services, so that it boots with its sidecar
// (mTLS, tokens, access control) and passes its own generated test at once.
//   npm run new:service -- loyalty            next free ports
//   npm run new:service -- loyalty --port 3111
// It writes apps/<name>/ (package, tsconfig, config, app, main, routes, domain
// context, data layer with a first migration, a component test) and
// contracts/src/<name>-api.ts (its operation records, empty), and adds the
// service to contracts (AppIds, the registry, the index), dapr.yaml, the root
// tsconfig.json, the chart's values and the README's service table. What is
// left by hand is docs/adding-a-service.md. (`--root <dir>` writes into
// another checkout: the generator's own test uses it.)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { port: { type: 'string' }, root: { type: 'string' } } });
const root = values.root ?? join(import.meta.dirname, '..');
const name = positionals[0];
const fail = (msg) => {
  console.error(`new:service: ${msg}`);
  process.exit(1);
};
if (!name || !/^[a-z][a-z0-9]{1,20}(-[a-z0-9]+)*$/.test(name)) fail('give a name: lower-case letters and digits, dashes between words (npm run new:service -- loyalty)');
if (['kit', 'devkit', 'web', 'contracts', 'provider-sim', 'mail-sink', 'carrier-sim'].includes(name)) fail(`${name} is taken by the platform's own tooling`);
if (existsSync(join(root, 'apps', name))) fail(`apps/${name} exists already`);

const camel = name.replace(/-([a-z0-9])/g, (_m, c) => c.toUpperCase());
const Pascal = camel[0].toUpperCase() + camel.slice(1);
const schema = name.replace(/-/g, '_');
const file = (rel) => join(root, rel);
const read = (rel) => readFileSync(file(rel), 'utf8');
const write = (rel, text) => {
  mkdirSync(dirname(file(rel)), { recursive: true });
  writeFileSync(file(rel), text);
  console.log(`  wrote ${rel}`);
};
/** Inserts `text` before (or after) the one place `anchor` names; a missing anchor is an error, never a silent skip. */
const edit = (rel, anchor, text, where = 'before') => {
  const s = read(rel);
  const i = s.indexOf(anchor);
  if (i < 0) fail(`${rel} no longer has ${JSON.stringify(anchor)}: update scripts/new-service.mjs`);
  const at = where === 'before' ? i : i + anchor.length;
  writeFileSync(file(rel), s.slice(0, at) + text + s.slice(at));
  console.log(`  edited ${rel}`);
};

// --- ports: the next free 31xx, with its sidecar on 35xx and 36xx (dapr.yaml's convention) ---
const dapr = read('dapr.yaml');
const used = [...dapr.matchAll(/appPort: (\d+)/g)].map((m) => Number(m[1]));
const port = values.port ? Number(values.port) : Math.max(...used.filter((p) => p >= 3100 && p < 3190)) + 1;
if (!(port >= 3101 && port <= 3189)) fail(`port ${port}: services listen on 3101-3189 (3190 is the provider simulator's)`);
if (used.includes(port)) fail(`port ${port} is taken in dapr.yaml`);
const ports = { app: port, http: port + 400, grpc: port + 500 };

console.log(`new service ${name} on ${ports.app} (sidecar ${ports.http}, gRPC ${ports.grpc})`);

// --- the service ---
write(
  `apps/${name}/package.json`,
  `${JSON.stringify(
    {
      name: `@emporium/${name}`,
      version: '0.1.0',
      private: true,
      description: `${name}: say what it owns`,
      main: 'dist/main.js',
      scripts: { start: 'node dist/main.js' },
      dependencies: { '@emporium/contracts': '*', '@emporium/kit': '*', express: '^5.3.0', zod: '^4.6.7' },
    },
    null,
    2,
  )}\n`,
);
write(
  `apps/${name}/tsconfig.json`,
  `${JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { rootDir: 'src', outDir: 'dist' }, include: ['src'], exclude: ['src/**/*.test.ts'], references: [{ path: '../../contracts' }, { path: '../kit' }] }, null, 2)}\n`,
);
write(
  `apps/${name}/src/config.ts`,
  `import type { z } from 'zod';

/** ${name}'s own settings beside the kit's (see @emporium/kit config): a zod shape, each key with a default and a description. */
export const ${camel}Config = {} as const satisfies z.ZodRawShape;
`,
);
write(
  `apps/${name}/src/app.ts`,
  `import { AppIds, type PlatformEvents } from '@emporium/contracts';
import { jwksFromIdentity, type ServiceDefinition } from '@emporium/kit';
import { ${camel}Config } from './config';
import { migrations } from './data/migrations';
import { ${Pascal}Repository } from './data/${name}-repository';
import type { ${Pascal}Context } from './domain/${name}-context';
import { ${camel}Routes } from './routes/${name}-routes';

/** ${name}: say what it owns. */
export const ${camel}Service: ServiceDefinition<typeof ${camel}Config, PlatformEvents> = {
  appId: AppIds.${camel},
  schema: '${schema}',
  migrations,
  config: ${camel}Config,
  build({ db, sidecar, events, logger }) {
    const ctx: ${Pascal}Context = { db, repo: new ${Pascal}Repository(db), sidecar, events, logger };
    return { routes: [${camel}Routes(ctx, jwksFromIdentity(sidecar))] };
  },
};
`,
);
write(
  `apps/${name}/src/main.ts`,
  `import { runService } from '@emporium/kit';
import { ${camel}Service } from './app';

void runService(${camel}Service);
`,
);
write(
  `apps/${name}/src/domain/${name}-context.ts`,
  `import type { PlatformEvents } from '@emporium/contracts';
import type { Database, EventBus, Logger, Sidecar } from '@emporium/kit';
import type { ${Pascal}Repository } from '../data/${name}-repository';

/** What ${name}'s use-cases need; built once in app.ts. */
export interface ${Pascal}Context {
  db: Database;
  repo: ${Pascal}Repository;
  /** Peers by contract: \`ctx.sidecar.call(CatalogInternal.getSkuOffers, { body })\` (the operation must name ${name} among its callers). */
  sidecar: Sidecar;
  events: EventBus<PlatformEvents>;
  logger: Logger;
}
`,
);
write(
  `apps/${name}/src/data/${name}-repository.ts`,
  `import type { Database } from '@emporium/kit';

/**
 * ${name}'s tables (its own schema; no other service reads them). Methods
 * return camelCase records, money through the kit's \`moneyOf\`.
 */
export class ${Pascal}Repository {
  constructor(private readonly db: Database) {}
}
`,
);
write(
  `apps/${name}/src/data/migrations/index.ts`,
  `import type { Migration } from '@emporium/kit';

/** Applied in order at start, each once (the kit's migrator); add a file per change, never edit one that shipped. */
export const migrations: readonly Migration[] = [];
`,
);
write(
  `apps/${name}/src/routes/${name}-routes.ts`,
  `import { Router } from 'express';
import type { KeySource } from '@emporium/kit';
import type { ${Pascal}Context } from '../domain/${name}-context';

/**
 * Each route is an operation of contracts/src/${name}-api.ts, mounted with
 * \`serve(router, ${Pascal}Public.x, ...handlers)\` (\`authenticate(keys)\`,
 * \`idempotent(...)\` for writes a client may retry, \`parseWith(...)\`): the
 * service refuses to start while its routes and the registry disagree.
 */
export function ${camel}Routes(_ctx: ${Pascal}Context, _keys: KeySource): Router {
  return Router();
}
`,
);
write(
  `apps/${name}/test/${name}.component.test.ts`,
  `import request from 'supertest';
import { startTestPlatform, type TestApp, type TestPlatform } from '@emporium/devkit/testing';
import { ${camel}Service } from '../src/app';

/** ${name} with its own sidecar (mTLS through Sentry, API and app tokens, access control from the registry). */
describe('${name}', () => {
  let platform: TestPlatform;
  let ${camel}: TestApp;

  beforeAll(async () => {
    platform = await startTestPlatform({ profile: 'services' });
    ${camel} = await platform.startApp(${camel}Service, { appId: '${name}' });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('when it starts beside its sidecar, then it is ready and its sidecar knows it', async () => {
    expect((await request(${camel}.url).get('/readyz')).status).toBe(200);
    const meta = await ${camel}.dapr.request('GET', '/v1.0/metadata');
    expect(meta.status).toBe(200);
    expect(((await meta.json()) as { id: string }).id).toBe('${name}');
  });

  it('when a request comes around its sidecar or without the API token, then it is refused', async () => {
    // the app answers nothing but its probes without its sidecar's token, whatever caller it names
    expect((await request(${camel}.directUrl).get('/readyz').set('dapr-caller-app-id', 'order')).status).toBe(200);
    expect((await request(${camel}.directUrl).post('/anything').set('dapr-caller-app-id', 'order').send({})).status).toBe(401);
    const bare = await fetch(\`http://127.0.0.1:\${${camel}.sidecarPorts.http}/v1.0/metadata\`);
    expect(bare.status).toBe(401);
  });
});
`,
);

// --- its contract ---
write(
  `contracts/src/${name}-api.ts`,
  `import { defineOperations, type ApiOperation } from './operation';

/**
 * ${name}'s public operations (the gateway routes them at /api/v1), e.g.
 *   getThing: { operationId: 'getThing', method: 'get', path: '/things/:thingId', appId: '${name}', summary: '…',
 *     responses: { 200: { description: 'The thing', schema: Thing } } },
 * Schemas and events go in contracts/src/${name}.ts.
 */
export const ${Pascal}Public = defineOperations({});
export const ${Pascal}Operations: readonly ApiOperation[] = Object.values<ApiOperation>(${Pascal}Public);

/** Operations other services call through their sidecars, each with \`internal: true\` and its \`callers\`. */
export const ${Pascal}Internal = defineOperations({});
`,
);
writeFileSync(file('contracts/src/index.ts'), `${read('contracts/src/index.ts').trimEnd()}\nexport * from './${name}-api';\n`);
console.log('  edited contracts/src/index.ts');
if (!new RegExp(`^\\s+${camel}: '${name}',$`, 'm').test(read('contracts/src/names.ts'))) {
  edit('contracts/src/names.ts', `  web: 'web',\n} as const;`, `  ${camel}: '${name}',\n`);
}
edit('contracts/src/api.ts', `\n/** Named schemas`, `import { ${Pascal}Internal, ${Pascal}Operations } from './${name}-api';\n`);
edit('contracts/src/api.ts', `];\n\n/** Service-to-service operations`, `, ...${Pascal}Operations`);
edit('contracts/src/api.ts', `];\n\n/**\n * The one registry`, `  ...Object.values<ApiOperation>(${Pascal}Internal),\n`);
// the kit verifies access tokens with identity's keys, fetched through the sidecar: the new service must be let through
edit('contracts/src/identity-api.ts', `], summary: 'Keys that verify access tokens'`, `, '${name}'`);

// --- where it runs ---
edit(
  'dapr.yaml',
  '  # Next.js: storefront',
  `  - appID: ${name}
    appDirPath: ./apps/${name}
    appPort: ${ports.app}
    daprHTTPPort: ${ports.http}
    daprGRPCPort: ${ports.grpc}
    appHealthCheckPath: /healthz
    placementHostAddress: ""
    schedulerHostAddress: ""
    command: ["node", "dist/main.js"]
`,
);
edit('tsconfig.json', '\n  ]\n}', `,\n    { "path": "apps/${name}" }`);
edit('charts/emporium/values.yaml', '  web:\n    # -- Port web listens on', `  ${name}:\n    # -- Port ${name} listens on (appPort in dapr.yaml)\n    port: ${ports.app}\n`);
edit('README.md', '| web | One process', `| ${name} | say what it owns | ${ports.app} (sidecar ${ports.http}) | — | — |\n`);

console.log(`
next:
  npm install                      link the new workspace
  npm run chart:sync               the chart's policies and README table
  npx jest apps/${name}/test       its component test (boots with its sidecar under mTLS)
then, by hand (docs/adding-a-service.md):
  1. apps/${name}/src              routes, domain, data, events
  2. contracts/src/${name}-api.ts  its operations (and contracts/src/${name}.ts, its schemas and events)
  3. README.md                     what it owns, publishes and subscribes, in its row of the service table`);
