// A small typed stand-in for sequelize: static model methods, `define`, `Op` and `DataTypes`.
export type WhereOptions = Record<string | symbol, unknown>;
export interface FindOptions {
  where?: WhereOptions;
  include?: unknown;
  order?: Array<[string, 'ASC' | 'DESC']>;
  limit?: number;
  offset?: number;
  attributes?: string[];
  transaction?: Transaction;
}
export declare class Transaction {
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

export declare class Model {
  get(key: string): any;
  save(): Promise<this>;
  update(values: Record<string, unknown>): Promise<this>;
  destroy(): Promise<void>;
  reload(): Promise<this>;
  increment(field: string, options?: { by?: number }): Promise<this>;
  static init(attributes: Record<string, unknown>, options: Record<string, unknown>): void;
  static findByPk<M extends Model>(this: ModelStatic<M>, pk: unknown, options?: FindOptions): Promise<M | null>;
  static findOne<M extends Model>(this: ModelStatic<M>, options?: FindOptions): Promise<M | null>;
  static findAll<M extends Model>(this: ModelStatic<M>, options?: FindOptions): Promise<M[]>;
  static findAndCountAll<M extends Model>(this: ModelStatic<M>, options?: FindOptions): Promise<{ rows: M[]; count: number }>;
  static count(options?: FindOptions): Promise<number>;
  static create<M extends Model>(this: ModelStatic<M>, values: Record<string, unknown>, options?: { transaction?: Transaction }): Promise<M>;
  static update(values: Record<string, unknown>, options: FindOptions): Promise<[number]>;
  static destroy(options: FindOptions): Promise<number>;
}
export type ModelStatic<M extends Model> = { new (): M } & Omit<typeof Model, 'prototype'>;

export declare const Op: { readonly in: unique symbol; readonly gt: unique symbol; readonly lt: unique symbol; readonly ne: unique symbol };
export declare const DataTypes: { STRING: unknown; INTEGER: unknown; BOOLEAN: unknown; DATE: unknown; TEXT: unknown };

export declare class Sequelize {
  constructor(url: string, options?: Record<string, unknown>);
  define(name: string, attributes: Record<string, unknown>, options?: Record<string, unknown>): ModelStatic<Model>;
  query(sql: string, options?: Record<string, unknown>): Promise<[unknown[], unknown]>;
  transaction<T>(run: (t: Transaction) => Promise<T>): Promise<T>;
  transaction(): Promise<Transaction>;
}
