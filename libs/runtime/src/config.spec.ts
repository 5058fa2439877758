import { CONFIG_VARIABLES, ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  const config = (env: Record<string, string>) => loadConfig({ DATA_DIR: '/tmp/x', ...env }, '/');

  describe('HTTP_KEEP_ALIVE_TIMEOUT_MS', () => {
    it('defaults to 65000, above the 60 s idle timeout of AWS ALB, as documented in CONFIG_VARIABLES', () => {
      expect(config({}).httpKeepAliveTimeoutMs).toBe(65_000);
      expect(config({ HTTP_KEEP_ALIVE_TIMEOUT_MS: '' }).httpKeepAliveTimeoutMs).toBe(65_000);
      expect(CONFIG_VARIABLES.HTTP_KEEP_ALIVE_TIMEOUT_MS).toBe('65000');
    });

    it('reads a value in range', () => {
      expect(config({ HTTP_KEEP_ALIVE_TIMEOUT_MS: '7000' }).httpKeepAliveTimeoutMs).toBe(7000);
      expect(config({ HTTP_KEEP_ALIVE_TIMEOUT_MS: '1000' }).httpKeepAliveTimeoutMs).toBe(1000);
      expect(config({ HTTP_KEEP_ALIVE_TIMEOUT_MS: '600000' }).httpKeepAliveTimeoutMs).toBe(600_000);
    });

    it.each(['999', '600001', '0', '-1', '65.5', 'sixty'])('refuses %p, naming the variable and its range', (value) => {
      expect(() => config({ HTTP_KEEP_ALIVE_TIMEOUT_MS: value })).toThrow(ConfigError);
      expect(() => config({ HTTP_KEEP_ALIVE_TIMEOUT_MS: value })).toThrow(
        `HTTP_KEEP_ALIVE_TIMEOUT_MS must be an integer between 1000 and 600000, got "${value}"`,
      );
    });
  });
});
