import net from 'node:net';
import { createRequire } from 'node:module';
import { BSON, MongoNetworkError } from 'mongodb';
import { fixDriverWriteHang } from '../../../server/db/driver-fix';

// The driver's own connection class and wire message, on a real socket to the test database.
const load = createRequire(require.resolve('mongodb'));
const { Connection } = load('./cmap/connection.js');
const { OpMsgRequest } = load('./cmap/commands.js');

function socketPath(): string {
  const uri = process.env.TEST_MONGODB_URI ?? '';
  return decodeURIComponent(/^mongodb:\/\/([^/?]+)/.exec(uri)?.[1] ?? '');
}

async function driverConnection() {
  const socket = net.connect(socketPath());
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return new Connection(socket, { id: 1, generation: 0, hostAddress: socketPath() });
}

const ping = () => new OpMsgRequest('admin', { ping: 1 }, {});
const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([
    promise.then(
      () => 'written',
      (err: unknown) => err,
    ),
    new Promise((resolve) => setTimeout(() => resolve('still waiting'), ms).unref()),
  ]);

describe('the MongoDB driver fix for writes on a closed connection (server/db/driver-fix.ts)', () => {
  it('is applied (the driver internals it patches are where it expects them)', () => {
    expect(fixDriverWriteHang()).toBe(true);
  });

  it('a command on a live connection is written and answered as before', async () => {
    const connection = await driverConnection();
    expect(await within(connection.writeCommand(ping(), { agreedCompressor: 'none' }), 2000)).toBe('written');
    const replies = [];
    for await (const reply of connection.readMany({})) replies.push(BSON.deserialize(reply.parse()));
    expect(replies[0].ok).toBe(1);
    connection.destroy();
  });

  it('a write on a socket already destroyed, before the driver saw it close, fails at once with a network error', async () => {
    const connection = await driverConnection();
    connection.socket.destroy();
    // Unfixed, this waits for ever: write() returns false and neither 'drain' nor 'error' comes.
    const outcome = await within(connection.writeCommand(ping(), { agreedCompressor: 'none' }), 2000);
    expect(outcome).toBeInstanceOf(MongoNetworkError);
    expect((outcome as Error).message).toMatch(/closed/);
  });
});
