import mongoose from 'mongoose';
import { MailClaimModel, MailJobModel, type MailJob } from '../../../models/mail-job.js';
import type { Mail, Mailer } from '../../mail/mailer.js';
import { isDuplicateKey } from '../../db/upsert.js';

/** Waits before each retry: a minute, five, half an hour, two hours, twelve; then the job has failed. */
const BACKOFF_MINUTES = [1, 5, 30, 120, 720];
/** A claim older than this whose job is still pending was taken by a process that died mid-send. */
const STALE_CLAIM_MS = 10 * 60000;
const BATCH = 50;

/**
 * Outgoing mail through a queue stored in the database: the request that causes a mail only
 * writes the job; `runDue` sends what is due, retrying with backoff when the mail server fails.
 * Every attempt is claimed first by inserting "jobId:attempt" (unique `_id`), so two processes
 * never send one mail twice; jobs survive a restart. A process that died holding a claim leaves
 * it behind: after ten minutes the attempt counts as failed and the next one may be claimed.
 */
export class MailQueue {
  private running: Promise<number> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private following: Promise<number> | null = null;

  constructor(
    private readonly mailer: Mailer,
    private readonly now: () => number = Date.now,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  /** Stores a mail to send; a second one with the same key is the same job. */
  async enqueue(key: string, mail: Mail): Promise<void> {
    try {
      await MailJobModel.create({
        key,
        ...mail,
        headers: mail.headers ?? {},
        nextAttemptAt: new Date(this.now()),
      });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      return;
    }
    this.kick();
  }

  /** Sends soon, in the background (a timer also runs the queue, for retries and other processes' jobs). */
  kick(): void {
    setImmediate(() => void this.runDue().catch(this.onError));
  }

  start(intervalMs = 5000): void {
    this.timer ??= setInterval(() => void this.runDue().catch(this.onError), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * Sends every job due when it was called (one run at a time in this process); returns how many
   * went out. Called while a run is under way, it waits for that run and then starts another, the
   * same one for every such caller: the run under way may have read the queue before the caller's
   * jobs were written.
   */
  runDue(): Promise<number> {
    if (this.running) {
      this.following ??= this.running.then(
        () => this.afterRun(),
        () => this.afterRun(),
      );
      return this.following;
    }
    this.running = this.sendDue().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Resolves once no run is under way or due to follow one (a sender's kick may have asked for one). */
  async idle(): Promise<void> {
    while (this.running || this.following) await (this.following ?? this.running)!.catch(() => 0);
  }

  private afterRun(): Promise<number> {
    this.following = null;
    return this.runDue();
  }

  private async sendDue(): Promise<number> {
    let sent = 0;
    let after: MailJob['_id'] | null = null;
    for (;;) {
      // Pending jobs in _id order, a page at a time (status is indexed with _id); due ones are sent.
      const filter: Record<string, unknown> = { status: 'pending' };
      // trusted(): sanitizeFilter is on for every query; this operator is ours.
      if (after) filter._id = mongoose.trusted({ $gt: after });
      const jobs: MailJob[] = await MailJobModel.find(filter).sort({ _id: 1 }).limit(BATCH).lean<MailJob[]>();
      for (const job of jobs) {
        if (job.nextAttemptAt.getTime() <= this.now() && (await this.attempt(job))) sent += 1;
      }
      if (jobs.length < BATCH) return sent;
      after = jobs[jobs.length - 1]._id;
    }
  }

  /** Claims and sends one attempt of a job; true when the mail went out. */
  private async attempt(job: MailJob): Promise<boolean> {
    const claim = `${String(job._id)}:${job.attempts}`;
    try {
      await MailClaimModel.create({ _id: claim, claimedAt: new Date(this.now()) });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      await this.releaseIfStale(job, claim);
      return false;
    }
    try {
      await this.mailer.send({
        to: job.to,
        subject: job.subject,
        text: job.text,
        headers: Object.fromEntries(Object.entries(job.headers ?? {})),
      });
    } catch (err) {
      await this.failed(job, err);
      return false;
    }
    await MailJobModel.updateOne(
      { _id: job._id },
      { $set: { status: 'sent', sentAt: new Date(this.now()) } },
    );
    return true;
  }

  private async failed(job: MailJob, err: unknown): Promise<void> {
    const attempts = job.attempts + 1;
    const wait = BACKOFF_MINUTES[attempts - 1];
    // Only if no one has moved the job on since it was read (sent, or another attempt recorded).
    await MailJobModel.updateOne(
      { _id: job._id, status: 'pending', attempts: job.attempts },
      {
        $set: {
          attempts,
          status: wait === undefined ? 'failed' : 'pending',
          nextAttemptAt: new Date(this.now() + (wait ?? 0) * 60000),
          lastError: String((err as Error)?.message ?? err).slice(0, 500),
        },
      },
    );
  }

  /** A claim held past STALE_CLAIM_MS by a process that never finished: that attempt failed. */
  private async releaseIfStale(job: MailJob, claim: string): Promise<void> {
    const held = await MailClaimModel.findById(claim).lean<{ claimedAt: Date }>();
    if (held && this.now() - held.claimedAt.getTime() > STALE_CLAIM_MS) {
      await this.failed(job, new Error('the process sending it stopped'));
    }
  }
}
