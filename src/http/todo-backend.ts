import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { invalid } from '../domain/errors';
import type { Todo } from '../domain/todo';
import { once } from '../domain/once';
import { fields, parseBody, titleText } from '../domain/todo-input';
import type { TodoService } from '../domain/todo-service';
import { handle } from './api-routes';
import { jsonBody, sendJson } from './json';

// `/api/todos`: the Todo-Backend contract (todobackend.com), a mapping over the same service and
// records as /api/rule. `title` is the name, `completed` is status 2 (false gives 1, in progress),
// `id` is the key. Answers are plain JSON, without /api/rule's {success, data} wrapper.

const completed = once(() => z.boolean({ error: 'completed must be true or false' }));

/** Bodies, exported for the OpenAPI document, which is generated from them. Built on first use. */
export const todoBackendCreate = once(() => z.object({ title: titleText('title'), completed: completed().optional(), order: fields().order.optional() }));
export const todoBackendPatch = once(() => z.object({ title: titleText('title'), completed: completed(), order: fields().order }).partial());

/** The fields of /api/rule's record that a Todo-Backend body sets. */
function toRecordFields({ title, completed, order }: z.output<ReturnType<typeof todoBackendPatch>>) {
  return {
    ...(title !== undefined && { name: title }),
    ...(completed !== undefined && { status: completed ? 2 : 1 }),
    ...(order !== undefined && { order }),
  };
}

/**
 * scheme://host[:port] as the client asked for it. X-Forwarded-Proto and X-Forwarded-Host count
 * only from a peer that Express's `trust proxy` trusts (req.protocol does the same for the scheme;
 * req.hostname would drop the port).
 */
function originOf(req: Request): string {
  const trusted = (req.app.get('trust proxy fn') as (address: string | undefined, hop: number) => boolean)(req.socket.remoteAddress, 0);
  const forwardedHost = trusted ? req.get('x-forwarded-host')?.split(',')[0].trim() : undefined;
  return `${req.protocol}://${forwardedHost || req.get('host') || 'localhost'}`;
}

export function todoBackendRoutes(service: TodoService, { bodyLimit }: { bodyLimit: string }): Router {
  const router = Router();
  const body = jsonBody(bodyLimit);

  const view = (req: Request) => {
    const root = `${originOf(req)}${req.baseUrl}/todos`;
    return (todo: Todo) => ({ id: todo.key, title: todo.name, completed: todo.status === 2, order: todo.order, url: `${root}/${todo.key}` });
  };
  const sendTodo = (req: Request, res: Response, todo: Todo, status = 200) => sendJson(res, status, view(req)(todo));

  router.get('/todos', handle(async (req, res) => sendJson(res, 200, (await service.listAll()).map(view(req)))));
  router.post('/todos', body, handle(async (req, res) => {
    const todo = await service.create(toRecordFields(parseBody(todoBackendCreate(), req.body)));
    const answer = view(req)(todo);
    res.setHeader('Location', answer.url);
    sendJson(res, 201, answer);
  }));
  router.delete('/todos', handle(async (_req, res) => {
    await service.removeAll();
    res.status(204).end();
  }));

  router.get('/todos/:id', handle(async (req, res) => sendTodo(req, res, await service.get(req.params.id))));
  router.patch('/todos/:id', body, handle(async (req, res) => {
    const changes = toRecordFields(parseBody(todoBackendPatch(), req.body));
    if (Object.keys(changes).length === 0) throw invalid('Nothing to update: send at least one of title, completed, order');
    sendTodo(req, res, await service.update(req.params.id, changes));
  }));
  router.delete('/todos/:id', handle(async (req, res) => {
    await service.remove([req.params.id]);
    res.status(204).end();
  }));

  return router;
}
