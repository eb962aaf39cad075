/**
 * npm run create-admin -- --username NAME
 * Creates the first admin (or promotes an existing account and sets its
 * password). The password comes from ADMIN_PASSWORD, or is asked for.
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { AppError } from '../server/errors';
import { SharedRateLimiter } from '../server/lib/shared-limiter';
import { UserService } from '../server/services/accounts/user-service';
import { openForScript, runScript } from './lib/boot';

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/** Reads a line without echoing it. */
async function askHidden(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}

async function main(): Promise<void> {
  const username = argument('username');
  if (!username) {
    console.error(
      'Usage: npm run create-admin -- --username NAME   (password from ADMIN_PASSWORD or asked for)',
    );
    process.exit(2);
  }
  let password = process.env.ADMIN_PASSWORD ?? '';
  if (!password) {
    if (!process.stdin.isTTY) {
      console.error('No terminal to ask for the password: set ADMIN_PASSWORD.');
      process.exit(2);
    }
    password = await askHidden(`Password for ${username} (10+ characters): `);
    if ((await askHidden('Again: ')) !== password) {
      console.error('The passwords did not match.');
      process.exit(2);
    }
  }
  const { config, close } = await openForScript('create-admin', undefined, { quiet: true });
  try {
    const limiter = (name: string, limit: number, windowMs: number) =>
      new SharedRateLimiter(name, limit, windowMs);
    const admin = await new UserService(config, limiter).createAdmin(username, password);
    console.log(`${admin.username} is an admin. Sign in at ${config.siteUrl}/login`);
  } catch (err) {
    if (err instanceof AppError) {
      const fields = err.details ? ` ${Object.values(err.details).join(' ')}` : '';
      console.error(`Could not create the admin: ${err.message}${fields}`);
      process.exitCode = 1;
    } else throw err;
  } finally {
    await close();
  }
}

runScript('create-admin', main);
