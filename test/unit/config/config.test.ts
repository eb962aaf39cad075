import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig, schema } from '../../../server/config';

describe('loadConfig', () => {
  it('uses the defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.dataDir).toBe('./data');
    expect(config.mongodbUri).toBe('');
    expect(config.commentsMaxDepth).toBe(5);
  });

  it.each([['abc'], ['-1'], ['70000'], ['3000x'], ['']])('refuses PORT=%j, naming the variable', (port) => {
    expect(() => loadConfig({ PORT: port })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: port })).toThrow(/PORT/);
  });

  it('refuses a MONGODB_URI that is not a mongodb URL', () => {
    expect(() => loadConfig({ MONGODB_URI: 'http://example.test' })).toThrow(/MONGODB_URI/);
  });

  it('refuses an unknown NODE_ENV and LOG_LEVEL', () => {
    expect(() => loadConfig({ NODE_ENV: 'prod' })).toThrow(/NODE_ENV/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });

  it('lists every setting in .env.example', () => {
    const example = readFileSync(path.join(__dirname, '../../../.env.example'), 'utf8');
    for (const setting of Object.values(schema)) {
      expect(example).toMatch(new RegExp(`^#? ?${setting.env}=`, 'm'));
    }
  });
});
