import { InvalidTaskOptionsError, PostgresTaskStore, RedisTaskStore } from '../../lib/index.js';

// The options are checked when a store is made, before it connects: no server is needed here.
describe('durable store options', () => {
  const redis = (options: object) => () => new RedisTaskStore({ connection: 'redis://127.0.0.1:1', ...options });
  const postgres = (options: object) => () =>
    new PostgresTaskStore({ connectionString: 'postgres://127.0.0.1:1/x', ...options });

  it.each([
    ['Redis', redis],
    ['PostgreSQL', postgres],
  ])('%s: leaseTime and pollInterval are whole ms from a minimum', (_, make) => {
    expect(make({ leaseTime: 50 })).toThrow(InvalidTaskOptionsError);
    expect(make({ leaseTime: 50 })).toThrow('Expected `leaseTime` to be an integer from 100 up (ms), got `50`');
    expect(make({ pollInterval: 2.5 })).toThrow('Expected `pollInterval` to be an integer from 10 up (ms), got `2.5`');
    expect(make({ leaseTime: 100, pollInterval: 10 })).not.toThrow();
  });

  it("Redis: the prefix is a non-empty string without braces (it is the keys' hash tag)", () => {
    expect(redis({ prefix: 'a{b' })).toThrow('Expected `prefix` to be a non-empty string without { or }, got `"a{b"`');
    expect(redis({ prefix: '' })).toThrow(InvalidTaskOptionsError);
  });

  it('PostgreSQL: one of connectionString and pool, and a plain schema name', () => {
    expect(() => new PostgresTaskStore({})).toThrow(/either `connectionString` or `pool`/);
    expect(postgres({ schema: 'a-b' })).toThrow(
      'Expected `schema` to be an unquoted PostgreSQL identifier of up to 49 characters, got `"a-b"`',
    );
  });

  it('PostgreSQL: preparedStatements is a boolean, listenConnectionString a non-empty string', () => {
    expect(postgres({ preparedStatements: 'no' })).toThrow('Expected `preparedStatements` to be a boolean, got `"no"`');
    expect(postgres({ listenConnectionString: '' })).toThrow(
      'Expected `listenConnectionString` to be a non-empty connection string, got `""`',
    );
    expect(postgres({ preparedStatements: false, listenConnectionString: 'postgres://127.0.0.1:1/x' })).not.toThrow();
  });
});
