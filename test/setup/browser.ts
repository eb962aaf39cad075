import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Page } from 'playwright-core';
import { launchChromium } from '../../tools/chromium';
import { createRequestListener } from '../../server/app';
import { PASSWORD } from '../fixtures/users';

/** Debian's Chromium through playwright-core, as the tools use it. */
export const launchBrowser = launchChromium;

/** Serves the app on a free loopback port. */
export async function listen(app: Express): Promise<{ server: Server; url: string }> {
  const server = createServer(createRequestListener(app));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Signs a browser page in through the real login form (the fixtures' password by default). */
export async function signInPage(
  page: Page,
  url: string,
  username: string,
  password = PASSWORD,
): Promise<void> {
  await page.goto(`${url}/login`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/login"] button[type=submit]')]);
}
