/**
 * postgres.js 3.4.9 can throw from a scheduled write after its socket closed (a connection cut by
 * the network or by the server): `TypeError: Cannot read properties of null (reading 'write')` in
 * `nextWrite`, from a setImmediate callback, so no caller can catch it and it would end the
 * process (porsager/postgres#1154, #1066; fixes proposed in #1168 and #1209, not yet released).
 * By then the connection has already rejected its queries with CONNECTION_CLOSED, so the write is
 * moot: this guard swallows exactly that error and lets every other uncaught error end the process
 * as usual. Remove it when postgres.js ships the fix.
 */
let installed = false;

export function isOrphanedWrite(error: unknown): boolean {
  return (
    error instanceof TypeError &&
    /reading 'write'/.test(error.message) &&
    /nextWrite/.test(error.stack ?? '') &&
    /postgres[\\/]src[\\/]connection\.js/.test(error.stack ?? '')
  );
}

export function guardAgainstOrphanedWrites(warn: (message: string) => void = console.warn): void {
  if (installed) return;
  installed = true;
  process.prependListener('uncaughtException', (error) => {
    if (!isOrphanedWrite(error)) return;
    warn('postgres.js wrote to a closed connection (porsager/postgres#1154); ignored, the query had already failed');
  });
  // prependListener alone does not stop the default crash: a listener must handle every error, so
  // the guard re-raises all others exactly as Node would.
  process.on('uncaughtException', (error, origin) => {
    if (isOrphanedWrite(error)) return;
    if (process.listenerCount('uncaughtException') > 2) return; // someone else (a test runner) handles it
    console.error(origin, error);
    process.exit(1);
  });
}
