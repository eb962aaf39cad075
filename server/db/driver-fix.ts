import { createRequire } from 'node:module';

/**
 * A fix for a hang in the MongoDB Node.js driver (6.20, still in 7.9): `Connection.writeCommand`
 * writes to the socket and, when `write()` returns false, waits for 'drain' (or 'error'). A socket
 * that the database's death has already destroyed, but whose 'close' the driver has not yet seen,
 * returns false from `write()` and never emits either, so the command waits for ever. Under write
 * load, killing the database server hit that window about one run in two
 * (test/faults/crash.test.ts), and since comments on a post are numbered one at a time, one stuck
 * insert stopped every later comment on that post until a restart.
 *
 * The fix: a write on a socket that is destroyed fails at once, and a write still waiting when the
 * socket closes fails then, with the network error the driver gives for a closed connection (the
 * request gets a 503, the pool is cleared, the next command uses a new connection).
 */

interface DriverSocket {
  destroyed: boolean;
  once(event: 'close', listener: () => void): unknown;
  off(event: 'close', listener: () => void): unknown;
}

interface DriverConnection {
  id: number | '<monitor>';
  address: string;
  socket: DriverSocket;
  writeCommand(this: DriverConnection, command: unknown, options: unknown): Promise<void>;
}

const PATCHED = Symbol.for('advice-column.writeCommandFix');

type NetworkError = new (message: string) => Error;

/**
 * The driver Mongoose uses (resolved from Mongoose, in case it ever has a copy of its own): its
 * connection class (internal, so loaded by path) and its network error; undefined if they moved.
 */
function driver():
  | { Connection: { prototype: DriverConnection & { [PATCHED]?: true } }; MongoNetworkError: NetworkError }
  | undefined {
  try {
    const fromMongoose = createRequire(require.resolve('mongoose'));
    const load = createRequire(fromMongoose.resolve('mongodb'));
    const { Connection } = load('./cmap/connection.js') as { Connection?: { prototype: DriverConnection } };
    const { MongoNetworkError } = load('./index.js') as { MongoNetworkError?: NetworkError };
    return Connection && MongoNetworkError ? { Connection, MongoNetworkError } : undefined;
  } catch {
    return undefined;
  }
}

/** Applies the fix once per process. Returns false if the driver's internals are not where expected. */
export function fixDriverWriteHang(): boolean {
  const found = driver();
  const proto = found?.Connection.prototype;
  const MongoNetworkError = found?.MongoNetworkError;
  if (!proto || !MongoNetworkError || typeof proto.writeCommand !== 'function') return false;
  if (proto[PATCHED]) return true;
  const write = proto.writeCommand;
  proto.writeCommand = function writeCommand(this: DriverConnection, command, options) {
    const socket = this.socket;
    const closed = () => new MongoNetworkError(`connection ${this.id} to ${this.address} closed`);
    if (socket.destroyed) return Promise.reject(closed());
    let onClose = (): void => undefined;
    const whenClosed = new Promise<never>((_, reject) => {
      onClose = () => reject(closed());
      socket.once('close', onClose);
    });
    return Promise.race([write.call(this, command, options), whenClosed]).finally(() =>
      socket.off('close', onClose),
    );
  };
  proto[PATCHED] = true;
  return true;
}
