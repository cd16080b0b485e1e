/** An error the client caused or can act on; the HTTP layer turns it into a JSON answer. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'AppError';
  }
}

export const invalid = (message: string) => new AppError(400, 'INVALID_INPUT', message);
export const notFound = (message: string) => new AppError(404, 'NOT_FOUND', message);

/** A store could not save a change (the change is not kept); `cause` says why, for the log. */
export function storageFailed(cause: unknown): AppError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  // 507 Insufficient Storage (RFC 4918): the server cannot store what the request needs.
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG'
    ? new AppError(507, 'INSUFFICIENT_STORAGE', 'The server is out of storage space; the change was not saved', { cause })
    : new AppError(503, 'STORAGE_UNAVAILABLE', 'The server could not save the change; try again later', { cause });
}

/** How much of a client's value an error message may quote. */
const EXCERPT_CHARS = 100;

/**
 * A short, safe rendering of a client's value for an error message: JSON-like, at most about
 * EXCERPT_CHARS characters, never walking deeper than a few levels (a value may nest thousands deep).
 */
export function excerpt(value: unknown): string {
  return clip(render(value, 0));
}

/** `text` cut to about EXCERPT_CHARS characters, for messages that show it unquoted. */
export function clip(text: string): string {
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS - 1)}…` : text;
}

function render(value: unknown, depth: number): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value.length > EXCERPT_CHARS ? value.slice(0, EXCERPT_CHARS) : value);
  if (typeof value !== 'object' || value === null) return String(value);
  const isArray = Array.isArray(value);
  const [open, close] = isArray ? ['[', ']'] : ['{', '}'];
  if (depth >= 3) return `${open}…${close}`;
  const parts: string[] = [];
  let length = 0;
  for (const key in value) {
    if (length > EXCERPT_CHARS) {
      parts.push('…');
      break;
    }
    const item = render((value as Record<string, unknown>)[key], depth + 1);
    const part = isArray ? item : `${JSON.stringify(key.slice(0, EXCERPT_CHARS))}:${item}`;
    parts.push(part);
    length += part.length + 1;
  }
  return `${open}${parts.join(',')}${close}`;
}
