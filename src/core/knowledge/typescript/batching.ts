/**
 * Lookups by one key that `n-plus-one-query` can batch into one query for all keys, per library
 * (the effect's `library`) and method. The rule spells the call; this table says which call.
 */
export interface BatchLookup {
  /**
   * Where the key is written: `where` — `m({ where: { k: v } })` (Prisma, TypeORM `findOne`);
   * `criteria` — `m({ k: v })` (TypeORM `findOneBy`); `primaryKey` — `m(v)` (Sequelize `findByPk`).
   */
  keyIn: 'where' | 'criteria' | 'primaryKey';
  /** The method that takes all keys. */
  batchMethod: string;
  /** How the list of keys is written: `{ in: keys }` (Prisma), `In(keys)` (TypeORM), `keys` (Sequelize). */
  keysAs: 'prisma-in' | 'typeorm-In' | 'array';
  /** The lookup may match several rows and returns the first: which one wins can change. */
  firstOfMany?: boolean;
  /** How a row's key is read: `row.k`, or `row.get('k')` (Sequelize models defined with `define` declare no fields). */
  keyRead?: 'property' | 'get';
}

export const TS_BATCH_LOOKUPS: Readonly<Record<string, Readonly<Record<string, BatchLookup>>>> = {
  prisma: {
    findUnique: { keyIn: 'where', batchMethod: 'findMany', keysAs: 'prisma-in' },
    findFirst: { keyIn: 'where', batchMethod: 'findMany', keysAs: 'prisma-in', firstOfMany: true },
  },
  typeorm: {
    findOneBy: { keyIn: 'criteria', batchMethod: 'findBy', keysAs: 'typeorm-In' },
    findOne: { keyIn: 'where', batchMethod: 'findBy', keysAs: 'typeorm-In' },
  },
  sequelize: {
    // Sequelize turns an array value into `IN (…)`; the primary key is assumed to be `id`.
    findByPk: { keyIn: 'primaryKey', batchMethod: 'findAll', keysAs: 'array', keyRead: 'get' },
  },
};

/**
 * Writes issued once per key that one statement can issue for every key: the loop becomes that
 * statement. Knex: a chain that filters by the key with `where` and ends in a write becomes the
 * same chain with `whereIn`. Sequelize: a static `update`/`destroy` whose `where` names the key
 * takes the list of keys instead (Sequelize writes an array value as `IN (…)`).
 */
export const TS_BULK_WRITES = {
  knex: { keyFilters: ['where', 'andWhere'], listFilter: 'whereIn', writes: ['update', 'del', 'delete', 'increment', 'decrement'] },
  sequelize: { update: { optionsArg: 1 }, destroy: { optionsArg: 0 } } as Readonly<Record<string, { optionsArg: number }>>,
} as const;

/**
 * SQL drivers whose `query(sql, [value])` with `WHERE k = $1` can take every key at once as
 * `WHERE k = ANY($1)` with an array (PostgreSQL arrays), and how the rows come back.
 */
export const TS_SQL_ANY: Readonly<Record<string, { methods: readonly string[]; rowsProperty: string }>> = {
  pg: { methods: ['query'], rowsProperty: 'rows' },
};
