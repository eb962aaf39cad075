import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { launchChromium } from '../../tools/chromium';
import { createRequestListener } from '../../server/app';

/** Debian's Chromium through playwright-core, as the tools use it. */
export const launchBrowser = launchChromium;

/** Serves the app on a free loopback port. */
export async function listen(app: Express): Promise<{ server: Server; url: string }> {
  const server = createServer(createRequestListener(app));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
