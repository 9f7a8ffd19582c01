import type { PyCallable, PyKnowledge, PyType } from './schema';
import { LIFECYCLE, each, klass } from './schema';

/**
 * Redis: `redis.asyncio` (and the older `aioredis`) — every command is a network round trip, so
 * commands in a loop are N+1 too (named as Redis); the synchronous `redis.Redis` blocks the thread.
 * Pipelines buffer commands: only `execute()` talks to the server.
 */

/** Commands that only read (for sequential-awaits: reads can run together). */
export const REDIS_READ_COMMANDS = [
  'get', 'mget', 'getrange', 'strlen', 'exists', 'ttl', 'pttl', 'type', 'keys', 'scan', 'dbsize',
  'hget', 'hgetall', 'hmget', 'hkeys', 'hvals', 'hlen', 'hexists', 'hscan',
  'smembers', 'sismember', 'smismember', 'scard', 'srandmember', 'sscan',
  'lrange', 'llen', 'lindex', 'lpos',
  'zrange', 'zrevrange', 'zrangebyscore', 'zrevrangebyscore', 'zscore', 'zmscore', 'zrank', 'zrevrank', 'zcard', 'zcount', 'zscan',
  'xrange', 'xrevrange', 'xread', 'xlen', 'xinfo_stream',
  'pfcount', 'bitcount', 'getbit', 'geopos', 'geodist', 'geosearch', 'georadius', 'ping', 'echo', 'info',
] as const;

/** Commands that change data. */
export const REDIS_WRITE_COMMANDS = [
  'set', 'setex', 'psetex', 'setnx', 'mset', 'msetnx', 'getset', 'getdel', 'getex', 'append', 'setrange',
  'delete', 'unlink', 'expire', 'pexpire', 'expireat', 'persist', 'rename', 'incr', 'incrby', 'incrbyfloat', 'decr', 'decrby',
  'hset', 'hsetnx', 'hmset', 'hdel', 'hincrby', 'hincrbyfloat',
  'sadd', 'srem', 'spop', 'smove',
  'lpush', 'rpush', 'lpop', 'rpop', 'lrem', 'ltrim', 'lset', 'linsert', 'blpop', 'brpop', 'lmove',
  'zadd', 'zrem', 'zincrby', 'zremrangebyscore', 'zremrangebyrank', 'zpopmin', 'zpopmax',
  'xadd', 'xack', 'xdel', 'xtrim', 'xgroup_create', 'xreadgroup',
  'pfadd', 'setbit', 'geoadd', 'publish', 'eval', 'evalsha', 'flushdb', 'flushall',
] as const;

function client(display: string, effect: 'query' | 'sync-io', pipeline: string): PyType {
  const read: PyCallable = { effect, op: 'read' };
  const write: PyCallable = { effect, op: 'write' };
  return {
    library: 'redis',
    display,
    store: 'redis',
    methods: {
      ...each(REDIS_READ_COMMANDS, read),
      ...each(REDIS_WRITE_COMMANDS, write),
      pipeline: { returns: pipeline },
      pubsub: {},
      lock: {},
      register_script: {},
      ...each(['close', 'aclose', 'connection_pool', 'from_url'], LIFECYCLE),
    },
    // Commands not listed (there are hundreds) are round trips too.
    otherMethods: { effect },
  };
}

function pipeline(display: string, effect: 'query' | 'sync-io', self: string): PyType {
  return {
    library: 'redis',
    display,
    store: 'redis',
    otherMethods: { returns: self },
    methods: { execute: { effect }, ...each(['reset', 'aclose', 'close'], LIFECYCLE) },
  };
}

const fromUrl = (type: string): PyCallable => ({ returns: type });

export const redis: PyKnowledge = {
  modules: {
    'redis.asyncio': 'mod:redis.asyncio',
    'redis.asyncio.client': 'mod:redis.asyncio',
    aioredis: 'mod:redis.asyncio',
    redis: 'mod:redis',
    'redis.client': 'mod:redis',
  },
  types: {
    'mod:redis.asyncio': {
      library: 'redis',
      display: 'redis.asyncio',
      module: true,
      methods: { from_url: fromUrl('redis.asyncio.Redis'), create_redis_pool: fromUrl('redis.asyncio.Redis') },
      attributes: { Redis: 'redis.asyncio.Redis:class', StrictRedis: 'redis.asyncio.Redis:class' },
    },
    'redis.asyncio.Redis:class': { ...klass('redis.asyncio.Redis', { library: 'redis' }), methods: { from_url: fromUrl('redis.asyncio.Redis') } },
    'redis.asyncio.Redis': client('Redis', 'query', 'redis.asyncio.Pipeline'),
    'redis.asyncio.Pipeline': pipeline('Pipeline', 'query', 'redis.asyncio.Pipeline'),
    'mod:redis': {
      library: 'redis',
      display: 'redis',
      module: true,
      methods: { from_url: fromUrl('redis.Redis') },
      attributes: { Redis: 'redis.Redis:class', StrictRedis: 'redis.Redis:class' },
    },
    'redis.Redis:class': { ...klass('redis.Redis', { library: 'redis' }), methods: { from_url: fromUrl('redis.Redis') } },
    'redis.Redis': client('Redis', 'sync-io', 'redis.Pipeline'),
    'redis.Pipeline': pipeline('Pipeline', 'sync-io', 'redis.Pipeline'),
  },
};
