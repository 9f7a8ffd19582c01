import type { LibraryKnowledge, MethodSpec, TypeSpec } from '../types';
import { each, LIFECYCLE, READ, WRITE } from '../spec-helpers';

const DELEGATE_READS = ['findFirst', 'findFirstOrThrow', 'findMany', 'count', 'aggregate', 'groupBy', 'findUniqueOrThrow'];
const DELEGATE_WRITES = ['create', 'createMany', 'createManyAndReturn', 'update', 'updateMany', 'updateManyAndReturn', 'upsert', 'delete', 'deleteMany'];

const delegate: TypeSpec = {
  library: 'prisma',
  methods: {
    // Prisma's dataloader merges findUnique calls issued in the same tick into one query.
    findUnique: { ...READ, sameTickBatched: true, pagingOptions: true },
    ...each(DELEGATE_READS, { ...READ, pagingOptions: true }),
    ...each(DELEGATE_WRITES, WRITE),
  },
};

const rawMethods: Record<string, MethodSpec> = {
  ...each(['$queryRaw', '$queryRawUnsafe', '$queryRawTyped', '$runCommandRaw'], { ...READ, sqlArg: true }),
  ...each(['$executeRaw', '$executeRawUnsafe'], { ...WRITE, sqlArg: true }),
};

export const prisma: LibraryKnowledge = {
  modules: { '@prisma/client': 'prisma.module', '.prisma/client': 'prisma.module' },
  types: {
    'prisma.module': {
      library: 'prisma',
      properties: { PrismaClient: 'prisma.ClientClass', Prisma: 'prisma.namespace' },
    },
    'prisma.namespace': { library: 'prisma', properties: { TransactionClient: 'prisma.TxClass' } },
    'prisma.ClientClass': { library: 'prisma', construct: 'prisma.Client', instance: 'prisma.Client' },
    'prisma.TxClass': { library: 'prisma', instance: 'prisma.Tx' },
    'prisma.Client': {
      library: 'prisma',
      anyProperty: 'prisma.Delegate',
      methods: {
        ...rawMethods,
        $transaction: { effect: 'query', op: 'lifecycle', callbackParam: 'prisma.Tx' },
        $extends: { returns: 'prisma.Client' },
        ...each(['$connect', '$disconnect'], LIFECYCLE),
      },
    },
    // Inside `$transaction(async (tx) => …)` every query runs on one connection.
    'prisma.Tx': { library: 'prisma', singleConnection: true, anyProperty: 'prisma.TxDelegate', methods: rawMethods },
    'prisma.Delegate': delegate,
    'prisma.TxDelegate': { ...delegate, singleConnection: true },
  },
};
