/** An error the client caused or can act on; the HTTP layer turns it into a JSON answer. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const invalid = (message: string) => new AppError(400, 'INVALID_INPUT', message);
export const notFound = (message: string) => new AppError(404, 'NOT_FOUND', message);
