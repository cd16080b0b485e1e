import type { ClientRequest, IncomingHttpHeaders, IncomingMessage, RequestListener } from 'node:http';
import type { Readable } from 'node:stream';
import { format } from 'node:url';
import { Server } from '@webserverless/fc-express';
// fc-express requires `raw-body` here without declaring it; we declare it in our package.json so
// this import resolves on purpose, not through whichever copy happens to be hoisted.
import { HttpTriggerProxy } from '@webserverless/fc-express/lib/http-trigger-proxy';

/**
 * Alibaba Cloud Function Compute 2.0, HTTP trigger: how FC hands a request to a Node.js function
 * and takes the answer back. fc-express replays the request against the app over a local socket;
 * this module corrects the parts of that mapping fc-express gets wrong.
 */

/** What FC passes as `req`: a readable stream of the body plus the request line and headers. */
export interface FcRequest extends Readable {
  headers: Record<string, string>;
  path: string;
  /** A repeated parameter (`?a=1&a=2`) arrives as an array. */
  queries: Record<string, string | string[]>;
  method: string;
  clientIP: string;
  url: string;
}

export interface FcResponse {
  setStatusCode(statusCode: number): void;
  setHeader(key: string, value: string | string[]): void;
  deleteHeader(key: string): void;
  send(body: Buffer | string | Readable): void;
}

export interface FcContext {
  requestId: string;
  credentials: { accessKeyId: string; accessKeySecret: string; securityToken: string };
  function: { name: string; handler: string; memory: number; timeout: number };
  service: { name: string; logProject?: string; logStore?: string; qualifier?: string; versionId?: string };
  region: string;
  accountId?: string;
}

export type FcHttpHandler = (req: FcRequest, resp: FcResponse, context: FcContext) => void;

type Call = { request: FcRequest; response: FcResponse; context: FcContext };

/** The header our request log reads the request id from (src/http/request-log.ts). */
const REQUEST_ID_HEADER = 'x-fc-request-id';
/** fc-express's copy of FC's whole context, credentials included. */
const CONTEXT_HEADER = 'x-fc-express-context';
/** Hop-by-hop headers describe the local socket between fc-express and the app, not the answer (RFC 7230 6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

/** A request path as it goes on the wire, whether FC hands it over percent-encoded or decoded. */
function encodePath(path: string): string {
  try {
    return encodeURI(decodeURI(path));
  } catch {
    return encodeURI(path); // a stray `%`: take the text literally
  }
}

class FcHttpTriggerProxy extends HttpTriggerProxy {
  /** fc-express starts listening inside the first call; two calls in one tick would listen twice. */
  private listening?: Promise<void>;

  override handle(call: Call): void {
    this.listening ??= new Promise((ready) => this.server.startServer().once('listening', ready));
    void this.listening.then(() => this.forwardRequestToNodeServer(call));
  }

  /** Streams the body through; fc-express's raw-body callback wrote `undefined` on a read error and crashed. */
  protected override pipeBody({ request }: Call, req: ClientRequest): void {
    request.once('error', (error) => req.destroy(error)).pipe(req);
  }

  /** fc-express passed the path on as is; a decoded non-ASCII one (a Chinese route) made Node refuse the request with a 500. */
  protected override getPath({ request }: Call): string {
    return format({ pathname: encodePath(request.path), query: request.queries });
  }

  /** FC drops client headers starting with `x-fc-`, so the id set here is FC's own. */
  protected override getRequestHeaders({ request, context }: Call): IncomingHttpHeaders {
    return { ...request.headers, [REQUEST_ID_HEADER]: context.requestId };
  }

  /** fc-express would put FC's context, access keys included, in a header of every request. */
  protected override mapContextToHttpRequest(call: Call) {
    const options = super.mapContextToHttpRequest(call);
    delete options.headers[CONTEXT_HEADER];
    return options;
  }

  /** Hands the body on as the Buffer it is: fc-express decoded it as UTF-8, corrupting images and fonts. */
  protected override forwardResponse(response: IncomingMessage, resolve: (answer: unknown) => void): void {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => {
      const headers = Object.fromEntries(Object.entries(response.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
      resolve({ statusCode: response.statusCode, headers, body: Buffer.concat(chunks) });
    });
  }
}

/** An FC 2.0 HTTP handler around `app`. Call once per instance; the app then serves every invocation. */
export function fcHttpHandler(app: RequestListener): FcHttpHandler {
  const server = new Server(app);
  server.httpTriggerProxy = new FcHttpTriggerProxy(server);
  return (req, resp, context) => server.httpProxy(req, resp, context);
}
