import { z } from 'zod';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('when keys are missing, then defaults apply and the service keys are typed', () => {
    const config = loadConfig({ FEATURE_X: z.coerce.boolean().default(false) }, { APP_ID: 'catalog' });
    expect(config.APP_PORT).toBe(3000);
    expect(config.FEATURE_X).toBe(false);
  });

  it('when a key is wrong, then the error names every bad key', () => {
    expect(() => loadConfig(undefined, { APP_PORT: 'eighty' })).toThrow(ConfigError);
    try {
      loadConfig(undefined, { APP_PORT: 'eighty' });
    } catch (err) {
      expect((err as ConfigError).issues.join('\n')).toMatch(/APP_ID/);
      expect((err as ConfigError).issues.join('\n')).toMatch(/APP_PORT/);
    }
  });
});
