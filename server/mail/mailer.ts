import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  /** Extra headers, e.g. List-Unsubscribe. */
  headers?: Record<string, string>;
}

export interface CapturedMail extends Mail {
  from: string;
  /** The whole message as it would go out (RFC 822), for reading or opening in a mail program. */
  raw: string;
  file?: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
  /** Messages captured in this process (capture transport only). */
  readonly captured: CapturedMail[];
}

/**
 * Outgoing mail through nodemailer: SMTP when SMTP_URL is set; otherwise a
 * local capture transport that renders each message and writes it to
 * OUTBOX_DIR as an .eml file (and keeps it in memory), sending nothing out.
 */
export function createMailer(
  config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'outboxDir'>,
  logger?: Logger,
  rootDir = '.',
): Mailer {
  const captured: CapturedMail[] = [];
  if (config.smtpUrl) {
    const transport = nodemailer.createTransport(config.smtpUrl);
    return {
      captured,
      async send(mail) {
        await transport.sendMail({ from: config.mailFrom, ...mail });
        logger?.info({ to: mail.to, subject: mail.subject }, 'mail sent');
      },
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const outbox = config.outboxDir ? path.resolve(rootDir, config.outboxDir) : '';
  return {
    captured,
    async send(mail) {
      const info = await transport.sendMail({ from: config.mailFrom, ...mail });
      const raw = (info.message as Buffer).toString('utf8');
      let file: string | undefined;
      if (outbox) {
        mkdirSync(outbox, { recursive: true });
        file = path.join(outbox, `${new Date().toISOString().replace(/[:.]/g, '-')}-${captured.length}.eml`);
        writeFileSync(file, raw);
      }
      captured.push({ from: config.mailFrom, ...mail, raw, file });
      logger?.info(
        { to: mail.to, subject: mail.subject, file },
        'mail captured (SMTP_URL is empty, nothing sent)',
      );
    },
  };
}
