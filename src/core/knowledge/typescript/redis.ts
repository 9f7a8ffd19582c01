import type { LibraryKnowledge, TypeSpec } from '../types';
import { each, LIFECYCLE, READ, WRITE } from '../spec-helpers';

const READS = ['get', 'mget', 'hget', 'hgetall', 'hmget', 'hkeys', 'hvals', 'exists', 'ttl', 'pttl', 'smembers', 'sismember', 'scard', 'lrange', 'llen', 'lindex', 'zrange', 'zrangebyscore', 'zrevrange', 'zscore', 'zcard', 'zrank', 'keys', 'scan', 'type', 'getex',
  'hGet', 'hGetAll', 'hmGet', 'hKeys', 'sMembers', 'sIsMember', 'lRange', 'lLen', 'zRange', 'zScore', 'zCard', 'mGet', 'getEx'];
const WRITES = ['set', 'setex', 'mset', 'del', 'unlink', 'hset', 'hmset', 'hdel', 'hincrby', 'incr', 'incrby', 'decr', 'decrby', 'expire', 'pexpire', 'sadd', 'srem', 'lpush', 'rpush', 'lpop', 'rpop', 'zadd', 'zrem', 'zincrby', 'publish', 'getdel', 'getset', 'setnx',
  'setEx', 'hSet', 'hDel', 'hIncrBy', 'incrBy', 'sAdd', 'sRem', 'lPush', 'rPush', 'lPop', 'rPop', 'zAdd', 'zRem', 'mSet', 'setNX', 'getDel'];

const client = (single: boolean): TypeSpec => ({
  library: 'redis',
  store: 'redis',
  singleConnection: single || undefined,
  methods: {
    ...each(READS, READ),
    ...each(WRITES, WRITE),
    ...each(['connect', 'quit', 'disconnect'], LIFECYCLE),
    ...each(['multi', 'pipeline'], { returns: 'redis.Pipeline' }),
    duplicate: { returns: 'redis.Client' },
  },
});

export const redis: LibraryKnowledge = {
  modules: { ioredis: 'redis.ioredisModule', redis: 'redis.nodeRedisModule', '@redis/client': 'redis.nodeRedisModule' },
  defaults: { ioredis: 'redis.ClientClass' },
  types: {
    'redis.ioredisModule': { library: 'redis', construct: 'redis.Client', properties: { Redis: 'redis.ClientClass', default: 'redis.ClientClass', Cluster: 'redis.ClientClass' } },
    'redis.ClientClass': { library: 'redis', construct: 'redis.Client', instance: 'redis.Client' },
    'redis.nodeRedisModule': { library: 'redis', methods: { createClient: { returns: 'redis.Client' }, createCluster: { returns: 'redis.Client' } }, properties: { RedisClientType: 'redis.ClientClass' } },
    'redis.Client': client(false),
    // Commands queued on a pipeline are sent in one round trip by exec().
    'redis.Pipeline': { library: 'redis', store: 'redis', otherMethods: { returns: 'redis.Pipeline' }, methods: { exec: READ, execAsPipeline: READ } },
  },
};
