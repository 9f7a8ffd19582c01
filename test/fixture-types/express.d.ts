// A small typed stand-in for express: the app, routers and the handler types.
export interface Request {
  params: Record<string, string>;
  query: Record<string, string | undefined>;
  body: any;
  headers: Record<string, string | undefined>;
}
export interface Response {
  json(body: unknown): Response;
  send(body?: unknown): Response;
  status(code: number): Response;
  type(t: string): Response;
  set(field: string, value: string): Response;
  sendFile(path: string): void;
}
export type NextFunction = (err?: unknown) => void;
export type Handler = (req: Request, res: Response, next: NextFunction) => unknown;
export interface Router {
  get(path: string, ...handlers: Handler[]): Router;
  post(path: string, ...handlers: Handler[]): Router;
  put(path: string, ...handlers: Handler[]): Router;
  delete(path: string, ...handlers: Handler[]): Router;
  use(...args: unknown[]): Router;
}
export interface Application extends Router {
  listen(port: number, cb?: () => void): unknown;
}
declare function express(): Application;
declare namespace express {
  function Router(): Router;
  function json(): Handler;
}
export default express;
export declare function Router(): Router;
