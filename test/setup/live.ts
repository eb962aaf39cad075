import { request as httpRequest } from 'node:http';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { attachSockets, type LiveServer } from '../../server/sockets';
import { testLogger, type TestApp } from './app';
import { createRequestListener } from '../../server/app';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser';

/** The test app on a loopback port with Socket.IO attached, as server/index.ts does. */
export async function listenLive(
  test: TestApp,
): Promise<{ server: Server; live: LiveServer; url: string; close(): Promise<void> }> {
  const server = createServer(createRequestListener(test.app));
  const live = await attachSockets(server, { ...test, logger: testLogger() });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    server,
    live,
    url,
    async close() {
      await live.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A real Socket.IO client, connected. */
export async function socketClient(url: string, extraHeaders?: Record<string, string>): Promise<Socket> {
  const socket = connect(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    extraHeaders,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

export function join(
  socket: Socket,
  postId: string,
  lastSeen?: number,
): Promise<{
  ok: boolean;
  missed: { id: string; number: number; parentId: string | null; html: string }[];
  total: number;
}> {
  return socket.timeout(5000).emitWithAck('thread:join', { postId, lastSeen });
}

/** Resolves with the next `event` payload, or rejects after `ms`. */
export function next<T = unknown>(socket: Socket, event: string, ms = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms);
    socket.once(event, (payload: T) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}

/** Collects every `event` payload until stopped. */
export function collect<T = unknown>(socket: Socket, event: string): T[] {
  const seen: T[] = [];
  socket.on(event, (payload: T) => seen.push(payload));
  return seen;
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * For one test file: Debian's Chromium and the app live on a loopback port, started before its
 * tests and closed after them. Read `live.browser` and `live.server` inside the tests.
 */
export function liveBrowser(test: TestApp) {
  const live = {} as { browser: Browser; server: Awaited<ReturnType<typeof listenLive>> };
  beforeAll(async () => {
    live.browser = await launchBrowser();
    live.server = await listenLive(test);
  });
  afterAll(async () => {
    await live.browser?.close();
    await live.server?.close();
  });
  return live;
}

/** One raw response through a real listener (no decompression): status, headers and the bytes as sent. */
export function rawResponse(
  url: string,
  headers: Record<string, string> = {},
  send?: { method: string; body: string },
) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>(
    (resolve, reject) => {
      httpRequest(url, { headers, method: send?.method ?? 'GET' }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      })
        .on('error', reject)
        .end(send?.body);
    },
  );
}
