import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { TodoService } from '../domain/todo-service';

/** Express 4 does not catch rejected promises; send them to the error handler. */
const handle =
  (fn: (req: Request, res: Response) => Promise<unknown>): RequestHandler =>
  (req, res, next) => {
    fn(req, res).catch(next);
  };

/** `/api/rule`: the contract of the course's Ant Design Pro frontend, plus item routes. */
export function apiRoutes(service: TodoService): Router {
  const router = Router();

  router.get('/rule', handle(async (req, res) => res.json({ success: true, ...(await service.list(req.query)) })));
  router.post('/rule', handle(async (req, res) => res.status(201).json({ success: true, data: await service.create(req.body) })));
  router.put('/rule', handle(async (req, res) => res.json({ success: true, data: await service.update(req.body?.key, req.body) })));
  router.delete('/rule', handle(async (req, res) => {
    const removed = await service.remove(req.body?.key ?? req.query.key);
    res.json({ success: true, data: { removed } });
  }));

  router.get('/rule/:key', handle(async (req, res) => res.json({ success: true, data: await service.get(req.params.key) })));
  const updateOne = handle(async (req, res) => res.json({ success: true, data: await service.update(req.params.key, req.body) }));
  router.put('/rule/:key', updateOne);
  router.patch('/rule/:key', updateOne);
  router.delete('/rule/:key', handle(async (req, res) => {
    const removed = await service.remove([req.params.key]); // one key: "1,4" is not a key
    res.json({ success: true, data: { removed } });
  }));

  // Ant Design Pro v4 reads the profile at the top level, v5 under `data`: answer both ways.
  router.get('/currentUser', handle(async (_req, res) => {
    const user = await service.currentUser();
    res.json({ ...user, success: true, data: user });
  }));

  // Express would answer OPTIONS with a text/html list of methods; the API answers nothing but headers.
  router.options('*', (_req, res) => res.status(204).end());

  return router;
}
