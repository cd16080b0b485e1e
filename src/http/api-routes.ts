import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { TodoService } from '../domain/todo-service';
import { excerpt, invalid } from '../domain/errors';
import { jsonBody, sendJson, sendList } from './json';

/** Express 4 does not catch rejected promises; send them to the error handler. */
export const handle =
  (fn: (req: Request, res: Response) => Promise<unknown>): RequestHandler =>
  (req, res, next) => {
    fn(req, res).catch(next);
  };

const WRITE_METHODS = ['post', 'update', 'delete'] as const;

/** The `method` field of a POST: absent means create; anything unknown is refused, never guessed. */
function writeMethod(value: unknown): (typeof WRITE_METHODS)[number] {
  if (value === undefined || value === null || value === '') return 'post';
  const method = typeof value === 'string' ? value.trim().toLowerCase() : value;
  if (WRITE_METHODS.includes(method as never)) return method as (typeof WRITE_METHODS)[number];
  throw invalid(`method must be "post" (create), "update" or "delete", got ${excerpt(value)}`);
}

/** `/api/rule`: the contract of the course's Ant Design Pro frontend, plus item routes. */
export function apiRoutes(service: TodoService, { bodyLimit }: { bodyLimit: string }): Router {
  const router = Router();
  const body = jsonBody(bodyLimit);
  const ok = (res: Response, data: unknown, status = 200) => sendJson(res, status, { success: true, data });

  router.get('/rule', handle(async (req, res) => {
    const { data, ...fields } = await service.list(req.query);
    sendList(res, data, fields);
  }));
  const create = async (req: Request, res: Response) => ok(res, await service.create(req.body), 201);
  const update = async (req: Request, res: Response) => ok(res, await service.update(req.body.key, req.body));
  const remove = async (req: Request, res: Response) => ok(res, { removed: await service.remove(req.body.key ?? req.query.key) });
  // The compatibility form: Ant Design Pro v4's template sends every write as a POST with a
  // `method` field; "update" and "delete" are the PUT and DELETE below, "post" or none creates.
  const byMethod = { post: create, update, delete: remove };
  router.post('/rule', body, handle((req, res) => byMethod[writeMethod(req.body.method)](req, res)));
  router.put('/rule', body, handle(update));
  router.delete('/rule', body, handle(remove));

  router.get('/rule/:key', handle(async (req, res) => ok(res, await service.get(req.params.key))));
  const updateOne = handle(async (req, res) => ok(res, await service.update(req.params.key, req.body)));
  router.put('/rule/:key', body, updateOne);
  router.patch('/rule/:key', body, updateOne);
  // One key: "1,4" is not a key.
  router.delete('/rule/:key', body, handle(async (req, res) => ok(res, { removed: await service.remove([req.params.key]) })));

  // Ant Design Pro v4 reads the profile at the top level, v5 under `data`: answer both ways.
  router.get('/currentUser', handle(async (_req, res) => {
    const user = await service.currentUser();
    sendJson(res, 200, { ...user, success: true, data: user });
  }));

  // Express would answer OPTIONS with a text/html list of methods; the API answers nothing but headers.
  router.options('*', (_req, res) => res.status(204).end());

  return router;
}
