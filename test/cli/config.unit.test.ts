// Configuration parsing: defaults, precedence (flag > env > default), and errors that name the setting.
import { describe, expect, test } from 'vitest';
import { loadConfig, MAX_VNI, type Config } from '../../src/config.ts';

function ok(flags: Record<string, string>, env: Record<string, string> = {}): Config {
  const result = loadConfig(flags, env);
  if (!result.ok) throw new Error(`unexpected config error: ${result.error.message}`);
  return result.config;
}

function problems(flags: Record<string, string>, env: Record<string, string> = {}) {
  const result = loadConfig(flags, env);
  if (result.ok) throw new Error('configuration was accepted');
  return result.error;
}

describe('loadConfig', () => {
  test('defaults match the documented contract', () => {
    expect(ok({})).toEqual({
      apiListen: { host: '127.0.0.1', port: 9696 },
      openflowListen: { host: '0.0.0.0', port: 6653 },
      openflowLanes: [6654, 6655, 6656, 6657, 6658, 6659, 6660].map((port) => ({ host: '0.0.0.0', port })),
      store: { kind: 'sqlite', path: './data/events.db', url: 'sqlite:./data/events.db' },
      auth: { kind: 'noauth' },
      vniRange: { min: 1, max: MAX_VNI },
      logLevel: 'info',
      gatewayFailoverAfterMs: 30_000,
    });
  });

  test('environment variables override defaults and flags override environment variables', () => {
    const env = { ESDN_API_LISTEN: '0.0.0.0:8000', ESDN_STORE: 'kurrentdb://db:2113?tls=false', ESDN_LOG_LEVEL: 'debug' };
    const config = ok({ apiListen: '127.0.0.1:9000' }, env);
    expect(config.apiListen).toEqual({ host: '127.0.0.1', port: 9000 });
    expect(config.store).toEqual({ kind: 'kurrentdb', url: 'kurrentdb://db:2113?tls=false' });
    expect(config.logLevel).toBe('debug');
  });

  test('an empty environment variable counts as unset', () => {
    expect(ok({}, { ESDN_API_LISTEN: '' }).apiListen.port).toBe(9696);
  });

  test('IPv6 listen addresses go in brackets; host names are accepted', () => {
    expect(ok({ apiListen: '[::1]:9696' }).apiListen).toEqual({ host: '::1', port: 9696 });
    expect(ok({ openflowListen: 'ctl.example.org:6653' }).openflowListen).toEqual({ host: 'ctl.example.org', port: 6653 });
  });

  test('store URLs in every spelling the event log accepts', () => {
    expect(ok({ store: 'sqlite:///var/lib/esdn/events.db' }).store).toMatchObject({ kind: 'sqlite', path: '/var/lib/esdn/events.db' });
    expect(ok({ store: 'sqlite://./x.db' }).store).toMatchObject({ kind: 'sqlite', path: './x.db' });
    for (const url of ['kurrentdb://db:2113?tls=false', 'kurrent://db:2113', 'esdb://db:2113', 'kurrentdb+discover://a:2113,b:2113']) {
      expect(ok({ store: url }).store).toEqual({ kind: 'kurrentdb', url });
    }
  });

  test('tokens auth keeps the file path; vni range is parsed', () => {
    const config = ok({ auth: 'tokens:/etc/esdn/tokens', vniRange: '100:200' });
    expect(config.auth).toEqual({ kind: 'tokens', file: '/etc/esdn/tokens' });
    expect(config.vniRange).toEqual({ min: 100, max: 200 });
  });

  test.each([
    ['apiListen', '127.0.0.1', '--api-listen (ESDN_API_LISTEN)'],
    ['apiListen', '127.0.0.1:70000', '--api-listen (ESDN_API_LISTEN)'],
    ['apiListen', 'bad host:80', '--api-listen (ESDN_API_LISTEN)'],
    ['openflowListen', '[zz]:6653', '--openflow-listen (ESDN_OPENFLOW_LISTEN)'],
    ['store', 'postgres://x', '--store (ESDN_STORE)'],
    ['store', 'sqlite:', '--store (ESDN_STORE)'],
    ['store', 'kurrentdb://?tls=false', '--store (ESDN_STORE)'],
    ['auth', 'keystone', '--auth (ESDN_AUTH)'],
    ['auth', 'tokens:', '--auth (ESDN_AUTH)'],
    ['vniRange', '0:10', '--vni-range (ESDN_VNI_RANGE)'],
    ['vniRange', '10:5', '--vni-range (ESDN_VNI_RANGE)'],
    ['vniRange', `1:${MAX_VNI + 1}`, '--vni-range (ESDN_VNI_RANGE)'],
    ['logLevel', 'loud', '--log-level (ESDN_LOG_LEVEL)'],
    ['gatewayFailoverAfter', '0', '--gateway-failover-after (ESDN_GATEWAY_FAILOVER_AFTER)'],
    ['gatewayFailoverAfter', '-5', '--gateway-failover-after (ESDN_GATEWAY_FAILOVER_AFTER)'],
    ['gatewayFailoverAfter', '30s', '--gateway-failover-after (ESDN_GATEWAY_FAILOVER_AFTER)'],
    ['gatewayFailoverAfter', '86401', '--gateway-failover-after (ESDN_GATEWAY_FAILOVER_AFTER)'],
  ])('%s=%j is rejected with a message naming the setting', (setting, value, named) => {
    const error = problems({ [setting]: value });
    expect(error.problems.map((p) => p.setting)).toEqual([setting]);
    expect(error.message).toContain(named);
  });

  test('the gateway failover time is seconds (fractions allowed) from the flag or ESDN_GATEWAY_FAILOVER_AFTER', () => {
    expect(ok({}, { ESDN_GATEWAY_FAILOVER_AFTER: '2' }).gatewayFailoverAfterMs).toBe(2_000);
    expect(ok({ gatewayFailoverAfter: '1.5' }, { ESDN_GATEWAY_FAILOVER_AFTER: '2' }).gatewayFailoverAfterMs).toBe(1_500);
  });

  test('every bad setting is reported at once, from env as well as flags', () => {
    const error = problems({ vniRange: 'x' }, { ESDN_STORE: 'nope:', ESDN_API_LISTEN: ':' });
    expect(error.problems.map((p) => p.setting).sort()).toEqual(['apiListen', 'store', 'vniRange']);
  });
});
