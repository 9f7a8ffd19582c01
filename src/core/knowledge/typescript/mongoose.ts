import type { LibraryKnowledge } from '../types';
import { each, LIFECYCLE, READ, WRITE } from '../spec-helpers';

const QUERY_STATICS = ['find', 'findOne', 'findById', 'countDocuments', 'estimatedDocumentCount', 'distinct', 'exists', 'where'];
const WRITE_QUERY_STATICS = ['findOneAndUpdate', 'findByIdAndUpdate', 'findOneAndDelete', 'findByIdAndDelete', 'findOneAndReplace', 'findByIdAndRemove', 'findOneAndRemove', 'updateOne', 'updateMany', 'deleteOne', 'deleteMany', 'replaceOne'];

/** Mongoose: model statics return lazy Query objects that run when awaited or `exec()`-ed. */
export const mongoose: LibraryKnowledge = {
  modules: { mongoose: 'mongoose.module' },
  types: {
    'mongoose.module': {
      library: 'mongoose',
      methods: { model: { returns: 'mongoose.Model' }, connect: LIFECYCLE, startSession: { op: 'lifecycle', returns: 'mongoose.Session' } },
      properties: { Model: 'mongoose.ModelClass', default: 'mongoose.module', connection: 'mongoose.Connection' },
    },
    'mongoose.Connection': { library: 'mongoose', methods: { model: { returns: 'mongoose.Model' } } },
    'mongoose.ModelClass': { library: 'mongoose', instance: 'mongoose.Model' },
    'mongoose.Session': { library: 'mongoose', singleConnection: true },
    'mongoose.Model': {
      library: 'mongoose',
      construct: 'mongoose.Document',
      methods: {
        ...each(QUERY_STATICS, { returns: 'mongoose.Query', pagingOptions: true }),
        ...each(WRITE_QUERY_STATICS, { returns: 'mongoose.WriteQuery' }),
        ...each(['create', 'insertMany', 'bulkWrite', 'syncIndexes', 'createIndexes'], WRITE),
        aggregate: { returns: 'mongoose.Aggregate', pagingOptions: true },
        populate: READ,
      },
    },
    'mongoose.Query': {
      library: 'mongoose',
      thenable: { op: 'read' },
      otherMethods: { returns: 'mongoose.Query' },
      methods: {
        skip: { returns: 'mongoose.Query', offset: true },
        ...each(['exec', 'then', 'catch', 'orFail'], READ),
        cursor: READ,
        ...each(['getFilter', 'getOptions', 'getQuery'], {}),
      },
      element: 'mongoose.Document',
    },
    'mongoose.WriteQuery': {
      library: 'mongoose',
      thenable: { op: 'write' },
      otherMethods: { returns: 'mongoose.WriteQuery' },
      methods: each(['exec', 'then', 'catch'], WRITE),
    },
    'mongoose.Aggregate': {
      library: 'mongoose',
      thenable: { op: 'read' },
      otherMethods: { returns: 'mongoose.Aggregate' },
      methods: { skip: { returns: 'mongoose.Aggregate', offset: true }, ...each(['exec', 'then'], READ) },
    },
    'mongoose.Document': {
      library: 'mongoose',
      methods: { ...each(['save', 'deleteOne', 'updateOne', 'remove'], WRITE), populate: READ },
    },
  },
};
