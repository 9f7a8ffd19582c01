import type { LibraryKnowledge } from '../types';

/** Functions handed to these methods are request handlers: they run on the event loop. */
const EXPRESS_ROUTES = ['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'options', 'head', 'use', 'param'];

export const httpFrameworks: LibraryKnowledge = {
  modules: {
    express: 'express.module',
    fastify: 'fastify.module',
    koa: 'koa.module',
    '@koa/router': 'koaRouter.module',
    'koa-router': 'koaRouter.module',
    hono: 'hono.module',
  },
  defaults: { express: 'express.module', fastify: 'fastify.module', koa: 'koa.AppClass', '@koa/router': 'koaRouter.RouterClass', 'koa-router': 'koaRouter.RouterClass' },
  types: {
    'express.module': {
      library: 'express',
      callable: { returns: 'express.App' },
      methods: { Router: { returns: 'express.App' } },
      properties: { Router: 'express.RouterFactory', Express: 'express.AppClass', Application: 'express.AppClass', default: 'express.module' },
    },
    'express.RouterFactory': { library: 'express', callable: { returns: 'express.App' }, instance: 'express.App' },
    'express.AppClass': { library: 'express', instance: 'express.App' },
    'express.App': {
      library: 'express',
      routeMethods: EXPRESS_ROUTES,
      methods: { route: { returns: 'express.App' }, Router: { returns: 'express.App' } },
    },
    'fastify.module': {
      library: 'fastify',
      callable: { returns: 'fastify.Instance' },
      properties: { fastify: 'fastify.module', default: 'fastify.module', FastifyInstance: 'fastify.InstanceClass' },
    },
    'fastify.InstanceClass': { library: 'fastify', instance: 'fastify.Instance' },
    'fastify.Instance': {
      library: 'fastify',
      routeMethods: ['get', 'post', 'put', 'patch', 'delete', 'all', 'options', 'head', 'route', 'addHook'],
    },
    'koa.module': { library: 'koa', construct: 'koa.App', properties: { default: 'koa.AppClass' } },
    'koa.AppClass': { library: 'koa', construct: 'koa.App', instance: 'koa.App' },
    'koa.App': { library: 'koa', routeMethods: ['use'] },
    'koaRouter.module': { library: 'koa-router', construct: 'koaRouter.Router', properties: { default: 'koaRouter.RouterClass', Router: 'koaRouter.RouterClass' } },
    'koaRouter.RouterClass': { library: 'koa-router', construct: 'koaRouter.Router', instance: 'koaRouter.Router' },
    'koaRouter.Router': { library: 'koa-router', routeMethods: [...EXPRESS_ROUTES, 'use'] },
    'hono.module': { library: 'hono', properties: { Hono: 'hono.AppClass' } },
    'hono.AppClass': { library: 'hono', construct: 'hono.App', instance: 'hono.App' },
    'hono.App': { library: 'hono', routeMethods: ['get', 'post', 'put', 'patch', 'delete', 'all', 'on', 'use'] },
  },
};

/** NestJS: methods with these decorators inside a `@Controller()` class handle requests. */
export const NEST_ROUTE_DECORATORS: readonly string[] = ['Get', 'Post', 'Put', 'Patch', 'Delete', 'All', 'Options', 'Head', 'Sse', 'MessagePattern', 'EventPattern', 'SubscribeMessage'];
export const NEST_CONTROLLER_DECORATORS: readonly string[] = ['Controller', 'Resolver', 'WebSocketGateway'];
