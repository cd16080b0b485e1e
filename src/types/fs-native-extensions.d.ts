// The part of fs-native-extensions the file store uses; the package ships no types.
declare module 'fs-native-extensions' {
  /** Takes an exclusive lock on the whole file, or answers false at once when another holds one. */
  export function tryLock(fd: number): boolean;
}
