/**
 * `make()`'s value, made on the first call and kept. For tables and schemas that only some
 * requests need: a cold FaaS instance should not build them before its first answer.
 */
export function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}
