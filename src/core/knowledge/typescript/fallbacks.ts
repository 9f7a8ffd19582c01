import type { LibraryKnowledge, MethodSpec } from '../types';
import { each, READ, WRITE } from '../spec-helpers';

/**
 * Last resort when a receiver cannot be resolved through imports, `new`, factories or type
 * annotations: well-known names. These types hold only query methods, so a name alone never
 * makes `db.map()` or `pool.size` a query — the method must be a query method too.
 */
const FINDERS: Record<string, MethodSpec> = {
  ...each(['findMany', 'findFirst', 'findFirstOrThrow', 'findUniqueOrThrow', 'find', 'findBy', 'findOne', 'findOneBy', 'findOneOrFail', 'findAll', 'findByPk', 'findAndCount', 'findAndCountAll', 'count', 'aggregate', 'groupBy'], { ...READ, pagingOptions: true }),
  findUnique: { ...READ, sameTickBatched: true, pagingOptions: true },
  ...each(['create', 'createMany', 'update', 'updateMany', 'upsert', 'delete', 'deleteMany', 'save', 'insert', 'remove', 'destroy', 'bulkCreate'], WRITE),
};

export const FALLBACK_NAMES: Record<string, string> = {
  prisma: 'prisma.Client',
  prismaClient: 'prisma.Client',
  prismaService: 'prisma.Client',
  tx: 'fallback.tx',
  trx: 'fallback.tx',
  db: 'fallback.db',
  database: 'fallback.db',
  pool: 'pg.Pool',
  queryRunner: 'typeorm.QueryRunner',
  pgPool: 'pg.Pool',
  knex: 'knex.Knex',
  em: 'mikroorm.EntityManager',
  entityManager: 'typeorm.EntityManager',
  dataSource: 'typeorm.DataSource',
  // TypeORM apps wrap the DataSource (`this.connection.getRepository(ctx, Order)` in Vendure).
  connection: 'typeorm.DataSource',
  rawConnection: 'typeorm.DataSource',
  sequelize: 'sequelize.Sequelize',
  redis: 'redis.Client',
  redisClient: 'redis.Client',
  app: 'express.App',
  router: 'express.App',
  fastify: 'fastify.Instance',
};

/** Names ending like this (`userRepository`, `ordersRepo`) are treated as ORM repositories. */
export const FALLBACK_SUFFIXES: ReadonlyArray<[RegExp, string]> = [
  [/(Repository|Repo)$/, 'fallback.repository'],
  [/^(Repository|Repo)$/i, 'fallback.repository'],
];

export const fallbacks: LibraryKnowledge = {
  modules: {},
  types: {
    'fallback.db': {
      library: 'database',
      // `this.db('users').where(…)`: a Knex instance kept as `db` (Knex is the library you call with a table).
      callable: { returns: 'knex.Builder' },
      anyProperty: 'fallback.delegate',
      properties: { query: 'drizzle.Relational' },
      methods: {
        ...each(['query', 'execute', 'any', 'many', 'one', 'oneOrNone', 'manyOrNone', 'none', 'all', 'get', 'run'], { ...READ, sqlArg: true }),
        ...each(['selectFrom', 'insertInto', 'updateTable', 'deleteFrom'], { returns: 'kysely.Builder' }),
        ...each(['$queryRaw', '$queryRawUnsafe'], { ...READ, sqlArg: true }),
        ...each(['$executeRaw', '$executeRawUnsafe'], { ...WRITE, sqlArg: true }),
      },
    },
    'fallback.tx': {
      library: 'database',
      singleConnection: true,
      anyProperty: 'fallback.txDelegate',
      callable: { returns: 'knex.TrxBuilder' },
      methods: {
        ...each(['query', 'execute'], { ...READ, sqlArg: true }),
        ...each(['$queryRaw', '$queryRawUnsafe'], { ...READ, sqlArg: true }),
        ...each(['$executeRaw', '$executeRawUnsafe'], { ...WRITE, sqlArg: true }),
        ...FINDERS,
        getRepository: { returns: 'typeorm.TxRepository' },
      },
    },
    'fallback.delegate': { library: 'database', methods: FINDERS },
    'fallback.txDelegate': { library: 'database', singleConnection: true, methods: FINDERS },
    'fallback.repository': {
      library: 'database',
      methods: {
        // TypeORM/MikroORM `create` builds an entity in memory: not a query.
        ...Object.fromEntries(Object.entries(FINDERS).filter(([name]) => name !== 'create')),
        ...each(['countBy', 'exist', 'exists', 'existsBy', 'findOneByOrFail', 'findByIds', 'sum', 'average'], READ),
        ...each(['softDelete', 'restore', 'increment', 'decrement', 'nativeInsert', 'nativeUpdate', 'nativeDelete'], WRITE),
        query: { ...READ, sqlArg: true },
        createQueryBuilder: { returns: 'typeorm.QueryBuilder' },
      },
    },
  },
};

/** Free functions that pause: awaiting them is a sleep, an ordering point, never a query. */
export const SLEEP_FUNCTIONS: readonly string[] = ['sleep', 'delay', 'wait', 'pause', 'backoff', 'setTimeoutPromise', 'waitMs', 'timeout'];

/** Globals with a known effect. */
export const GLOBAL_FUNCTIONS: Record<string, MethodSpec> = { fetch: { op: 'read' } };
