// A small typed stand-in for @prisma/client, enough to type-check the fixed fixtures: every model
// delegate has the same shape; rows have any fields (ids are numbers in some fixtures, strings in others).
export type Row = Record<string, any>;
type Where = Record<string, unknown>;
type OrderBy = Record<string, 'asc' | 'desc'>;

export interface FindManyArgs {
  where?: Where;
  orderBy?: OrderBy | OrderBy[];
  cursor?: Where;
  skip?: number;
  take?: number;
  select?: Record<string, unknown>;
  include?: Record<string, unknown>;
  distinct?: string[];
}

export interface ModelDelegate {
  findUnique(args: { where: Where; select?: Record<string, unknown>; include?: Record<string, unknown> }): Promise<Row | null>;
  findUniqueOrThrow(args: { where: Where; select?: Record<string, unknown>; include?: Record<string, unknown> }): Promise<Row>;
  findFirst(args?: FindManyArgs): Promise<Row | null>;
  findFirstOrThrow(args?: FindManyArgs): Promise<Row>;
  findMany(args?: FindManyArgs): Promise<Row[]>;
  count(args?: { where?: Where }): Promise<number>;
  aggregate(args: Record<string, unknown>): Promise<Record<string, any>>;
  groupBy(args: Record<string, unknown>): Promise<Array<Record<string, any>>>;
  create(args: { data: Record<string, unknown>; select?: Record<string, unknown> }): Promise<Row>;
  createMany(args: { data: Array<Record<string, unknown>> }): Promise<{ count: number }>;
  update(args: { where: Where; data: Record<string, unknown> }): Promise<Row>;
  updateMany(args: { where?: Where; data: Record<string, unknown> }): Promise<{ count: number }>;
  upsert(args: { where: Where; create: Record<string, unknown>; update: Record<string, unknown> }): Promise<Row>;
  delete(args: { where: Where }): Promise<Row>;
  deleteMany(args?: { where?: Where }): Promise<{ count: number }>;
}

type Client = PrismaClient;
/** Client methods also satisfy the model index signature (TypeScript requires it of every member). */
type Method<F> = ModelDelegate & F;

export declare class PrismaClient {
  constructor(options?: Record<string, unknown>);
  [model: string]: ModelDelegate;
  $connect: Method<() => Promise<void>>;
  $disconnect: Method<() => Promise<void>>;
  $transaction: Method<(<T>(arg: ((tx: Client) => Promise<T>) | Array<Promise<any>>, options?: Record<string, unknown>) => Promise<T>)>;
  $queryRaw: Method<(<T = unknown>(strings: TemplateStringsArray, ...values: unknown[]) => Promise<T>)>;
  $executeRaw: Method<((strings: TemplateStringsArray, ...values: unknown[]) => Promise<number>)>;
  $queryRawUnsafe: Method<(<T = unknown>(sql: string, ...values: unknown[]) => Promise<T>)>;
  $executeRawUnsafe: Method<((sql: string, ...values: unknown[]) => Promise<number>)>;
}

export declare namespace Prisma {
  type TransactionClient = PrismaClient;
}
