import type { PyCallable, PyKnowledge, PyType } from './schema';
import { READ, WRITE, each } from './schema';

/**
 * Django's async ORM and Tortoise ORM. Models are user classes that subclass the library's
 * `Model`; the class object (`User`) and its manager (`User.objects`) get the types below.
 */

const djangoSyncRead: PyCallable = { effect: 'sync-orm', op: 'read', receiverModel: true };
const djangoSyncWrite: PyCallable = { effect: 'sync-orm', op: 'write', receiverModel: true };
const djangoRead: PyCallable = { ...READ, receiverModel: true };
const djangoWrite: PyCallable = { ...WRITE, receiverModel: true };

const djangoQuerySetMethods: Record<string, PyCallable> = {
  ...each(['aget', 'afirst', 'alast', 'aearliest', 'alatest'], { ...djangoRead, returns: 'django.Model' }),
  ...each(['acount', 'aexists', 'aaggregate', 'ain_bulk', 'acontains', 'aexplain'], djangoRead),
  acreate: { ...djangoWrite, returns: 'django.Model' },
  ...each(['aget_or_create', 'aupdate_or_create', 'abulk_create', 'abulk_update', 'aupdate', 'adelete'], djangoWrite),
  ...each(
    ['filter', 'exclude', 'all', 'order_by', 'select_related', 'prefetch_related', 'values', 'values_list', 'annotate', 'distinct', 'only', 'defer', 'using', 'none', 'union', 'reverse', 'alias', 'select_for_update', 'aiterator', 'iterator'],
    { returns: 'django.QuerySet', receiverModel: true },
  ),
  ...each(['get', 'first', 'last', 'earliest', 'latest'], { ...djangoSyncRead, returns: 'django.Model' }),
  ...each(['count', 'exists', 'aggregate', 'in_bulk', 'contains'], djangoSyncRead),
  ...each(['create', 'get_or_create', 'update_or_create', 'bulk_create', 'bulk_update', 'update', 'delete'], djangoSyncWrite),
};

const djangoQuerySet: PyType = {
  library: 'django',
  display: 'QuerySet',
  methods: djangoQuerySetMethods,
  sharedConnection: 'django',
  iterRuns: djangoSyncRead,
  asyncIterRuns: djangoRead,
};

const tortoiseLazy = (type: string): PyCallable => ({ returns: type, receiverModel: true });

const tortoiseQuerySet: PyType = {
  library: 'tortoise',
  display: 'QuerySet',
  otherMethods: tortoiseLazy('tortoise.QuerySet'),
  methods: {
    ...each(['update', 'delete'], tortoiseLazy('tortoise.WriteQuery')),
    ...each(['get', 'get_or_none', 'first'], tortoiseLazy('tortoise.QuerySetSingle')),
    offset: { returns: 'tortoise.QuerySet', offset: true },
  },
  awaitRuns: djangoRead,
  asyncIterRuns: djangoRead,
};

export const orms: PyKnowledge = {
  modules: {
    'django.db.models': 'mod:django.db.models',
    'django.db': 'mod:django.db',
    tortoise: 'mod:tortoise',
    'tortoise.models': 'mod:tortoise',
  },
  types: {
    'mod:django.db': { library: 'django', display: 'django.db', module: true },
    'mod:django.db.models': {
      library: 'django',
      display: 'django.db.models',
      module: true,
      attributes: { Model: 'django.Model:base' },
    },
    'django.Model:base': { library: 'django', display: 'Model', subclass: 'django.ModelClass', instance: 'django.Model' },
    'django.ModelClass': {
      library: 'django',
      display: 'Model',
      attributes: { objects: 'django.QuerySet', _default_manager: 'django.QuerySet' },
      callable: { returns: 'django.Model' },
      sharedConnection: 'django',
    },
    'django.Model': {
      library: 'django',
      display: 'Model',
      sharedConnection: 'django',
      methods: {
        ...each(['asave', 'adelete'], djangoWrite),
        arefresh_from_db: djangoRead,
        ...each(['save', 'delete'], djangoSyncWrite),
        refresh_from_db: djangoSyncRead,
      },
    },
    'django.QuerySet': djangoQuerySet,

    'mod:tortoise': { library: 'tortoise', display: 'tortoise', module: true, attributes: { Model: 'tortoise.Model:base' } },
    'tortoise.Model:base': { library: 'tortoise', display: 'Model', subclass: 'tortoise.ModelClass', instance: 'tortoise.Model' },
    'tortoise.ModelClass': {
      library: 'tortoise',
      display: 'Model',
      callable: { returns: 'tortoise.Model' },
      otherMethods: tortoiseLazy('tortoise.QuerySet'),
      methods: {
        ...each(['get', 'get_or_none', 'first'], tortoiseLazy('tortoise.QuerySetSingle')),
        create: { ...djangoWrite, returns: 'tortoise.Model' },
        ...each(['get_or_create', 'update_or_create', 'bulk_create', 'bulk_update'], djangoWrite),
        ...each(['describe', 'register_listener'], {}),
      },
    },
    'tortoise.Model': {
      library: 'tortoise',
      display: 'Model',
      methods: {
        ...each(['save', 'delete'], djangoWrite),
        ...each(['fetch_related', 'refresh_from_db'], djangoRead),
      },
    },
    'tortoise.QuerySet': tortoiseQuerySet,
    // `await User.get(id=1)` gives a model instance.
    'tortoise.QuerySetSingle': { library: 'tortoise', display: 'QuerySet', awaitRuns: { ...djangoRead, returns: 'tortoise.Model' }, otherMethods: tortoiseLazy('tortoise.QuerySetSingle') },
    'tortoise.WriteQuery': { library: 'tortoise', display: 'QuerySet', awaitRuns: djangoWrite },
  },
};
