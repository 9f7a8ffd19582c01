// A small typed stand-in for knex: a chainable, awaitable query builder.
export interface QueryBuilder extends PromiseLike<any> {
  select(...columns: string[]): QueryBuilder;
  from(table: string): QueryBuilder;
  where(...args: unknown[]): QueryBuilder;
  whereIn(column: string, values: readonly unknown[]): QueryBuilder;
  whereILike(column: string, value: string): QueryBuilder;
  andWhere(...args: unknown[]): QueryBuilder;
  orderBy(column: string, direction?: 'asc' | 'desc'): QueryBuilder;
  groupBy(...columns: string[]): QueryBuilder;
  sum(column: string): QueryBuilder;
  count(column?: unknown): QueryBuilder;
  limit(n: number): QueryBuilder;
  offset(n: number): QueryBuilder;
  first(...columns: string[]): QueryBuilder;
  insert(values: unknown): QueryBuilder;
  update(values: Record<string, unknown>): QueryBuilder;
  increment(column: string, by?: number): QueryBuilder;
  decrement(column: string, by?: number): QueryBuilder;
  del(): QueryBuilder;
  returning(columns: string | string[]): QueryBuilder;
}
export interface Knex {
  (table: string): QueryBuilder;
  select(...columns: string[]): QueryBuilder;
  raw(sql: string, bindings?: readonly unknown[]): QueryBuilder;
  transaction<T>(run: (trx: Knex) => Promise<T>): Promise<T>;
  fn: { now(): unknown };
}
export declare namespace Knex {
  type Transaction = Knex;
}
declare function knex(config: Record<string, unknown>): Knex;
export default knex;
export { knex };
