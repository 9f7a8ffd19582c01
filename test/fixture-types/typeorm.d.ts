// A small typed stand-in for typeorm: repositories, the entity manager, find options and `In`.
export declare class FindOperator<T> {
  private readonly _value: T;
}
export declare function In<T>(values: readonly T[]): FindOperator<T>;
export declare function MoreThan<T>(value: T): FindOperator<T>;
export declare function LessThan<T>(value: T): FindOperator<T>;

export type FindOptionsWhere<T> = { [K in keyof T]?: T[K] | FindOperator<T[K]> };
export type FindOptionsOrder<T> = { [K in keyof T]?: 'ASC' | 'DESC' | 'asc' | 'desc' };
export interface FindManyOptions<T> {
  where?: FindOptionsWhere<T> | FindOptionsWhere<T>[];
  order?: FindOptionsOrder<T>;
  relations?: string[] | Record<string, boolean>;
  select?: Array<keyof T> | Record<string, boolean>;
  skip?: number;
  take?: number;
}
export type FindOneOptions<T> = Omit<FindManyOptions<T>, 'skip' | 'take'>;

export interface SelectQueryBuilder<T> {
  where(condition: string, params?: Record<string, unknown>): this;
  andWhere(condition: string, params?: Record<string, unknown>): this;
  orderBy(sort: string, order?: 'ASC' | 'DESC'): this;
  leftJoinAndSelect(property: string, alias: string): this;
  skip(n?: number): this;
  take(n?: number): this;
  offset(n?: number): this;
  limit(n?: number): this;
  getMany(): Promise<T[]>;
  getOne(): Promise<T | null>;
  getManyAndCount(): Promise<[T[], number]>;
  getCount(): Promise<number>;
}

export declare class Repository<T> {
  find(options?: FindManyOptions<T>): Promise<T[]>;
  findBy(where: FindOptionsWhere<T> | FindOptionsWhere<T>[]): Promise<T[]>;
  findOne(options: FindOneOptions<T>): Promise<T | null>;
  findOneBy(where: FindOptionsWhere<T> | FindOptionsWhere<T>[]): Promise<T | null>;
  findOneByOrFail(where: FindOptionsWhere<T> | FindOptionsWhere<T>[]): Promise<T>;
  findOneOrFail(options: FindOneOptions<T>): Promise<T>;
  findAndCount(options?: FindManyOptions<T>): Promise<[T[], number]>;
  count(options?: FindManyOptions<T>): Promise<number>;
  countBy(where: FindOptionsWhere<T>): Promise<number>;
  save<E extends Partial<T>>(entity: E): Promise<E & T>;
  update(criteria: unknown, partial: Partial<T>): Promise<unknown>;
  delete(criteria: unknown): Promise<unknown>;
  remove(entity: T): Promise<T>;
  increment(where: FindOptionsWhere<T>, column: string, by: number): Promise<unknown>;
  decrement(where: FindOptionsWhere<T>, column: string, by: number): Promise<unknown>;
  createQueryBuilder(alias?: string): SelectQueryBuilder<T>;
  query(sql: string, params?: unknown[]): Promise<any>;
}

type EntityTarget<T> = new () => T;
export declare class EntityManager {
  getRepository<T>(target: EntityTarget<T>): Repository<T>;
  find<T>(target: EntityTarget<T>, options?: FindManyOptions<T>): Promise<T[]>;
  findBy<T>(target: EntityTarget<T>, where: FindOptionsWhere<T>): Promise<T[]>;
  findOne<T>(target: EntityTarget<T>, options: FindOneOptions<T>): Promise<T | null>;
  findOneBy<T>(target: EntityTarget<T>, where: FindOptionsWhere<T>): Promise<T | null>;
  count<T>(target: EntityTarget<T>, options?: FindManyOptions<T>): Promise<number>;
  save<T>(entity: T): Promise<T>;
  increment<T>(target: EntityTarget<T>, where: FindOptionsWhere<T>, column: string, by: number): Promise<unknown>;
  decrement<T>(target: EntityTarget<T>, where: FindOptionsWhere<T>, column: string, by: number): Promise<unknown>;
  query(sql: string, params?: unknown[]): Promise<any>;
  transaction<R>(run: (manager: EntityManager) => Promise<R>): Promise<R>;
}
export declare class QueryRunner {
  manager: EntityManager;
  connect(): Promise<void>;
  startTransaction(): Promise<void>;
  commitTransaction(): Promise<void>;
  rollbackTransaction(): Promise<void>;
  release(): Promise<void>;
  query(sql: string, params?: unknown[]): Promise<any>;
}
export declare class DataSource extends EntityManager {
  manager: EntityManager;
  createQueryRunner(): QueryRunner;
}

type Decorator = (target: object, key?: string | symbol) => void;
export declare function Entity(name?: string): (target: Function) => void;
export declare function Column(options?: Record<string, unknown>): Decorator;
export declare function PrimaryGeneratedColumn(): Decorator;
export declare function ManyToOne(type: () => Function, inverse?: (x: any) => unknown): Decorator;
export declare function OneToMany(type: () => Function, inverse: (x: any) => unknown): Decorator;
