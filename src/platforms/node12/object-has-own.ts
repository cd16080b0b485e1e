// helmet calls Object.hasOwn (Node 16.9+); FC 2.0's newest Node runtime is 12. Defined by hand:
// core-js's version of this one function costs about 10 ms of cold start on Node 12.
if (!Object.hasOwn) {
  Object.defineProperty(Object, 'hasOwn', {
    value: (object: object, key: PropertyKey) => Object.prototype.hasOwnProperty.call(object, key),
    configurable: true,
    writable: true,
  });
}
