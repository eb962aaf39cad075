import mongoose, { type Types } from 'mongoose';
import {
  SpamDecisionModel,
  SpamModelModel,
  SpamTrainingClaimModel,
  type SpamDecision,
  type SpamModelRecord,
} from '../../../models/spam.js';
import type { Config } from '../../config/index.js';
import type { DomainEventMap } from '../events.js';
import { figures, load, score, train, type Figures, type Labelled } from './spam-classifier.js';
import { isDuplicateKey, upsertOne } from '../../db/upsert.js';

/** Decisions read for one training, newest first (older ones stop mattering). */
const MAX_DECISIONS = 50000;
/** Models kept in the database besides the one in force. */
const KEEP_MODELS = 2;

/** A decision is held out of training (to measure on) when its id falls in this fifth. */
export function isHeldOut(id: Types.ObjectId | string): boolean {
  return parseInt(String(id).slice(-6), 16) % 5 === 0;
}

export interface SpamStatus {
  enabled: boolean;
  /** Scoring new comments now. */
  active: boolean;
  decisions: { spam: number; ham: number; total: number };
  needed: { total: number; each: number };
  model?: { revision: number; trainedAt: Date; spam: number; ham: number; figures: Figures };
}

/**
 * Spam learning without third parties: a naive Bayes text classifier (wink) trained on this site's
 * own moderation decisions (approve and restore: ham; reject and remove: spam), stored in the
 * database and trained again every SPAM_RETRAIN_MINUTES by one process (a claim per period).
 * A fifth of the decisions is held out of each training, and what the classifier scored them
 * gives the precision and recall shown on the settings page; the model in force is then trained
 * on every decision. It scores nothing until there are SPAM_MIN_DECISIONS decisions, at least a
 * tenth of them each way.
 */
export class SpamService {
  private inForce:
    | { revision: number; classifier: ReturnType<typeof load>; record: SpamModelRecord }
    | undefined;
  private timer: NodeJS.Timeout | undefined;
  private training: Promise<SpamModelRecord | null> | undefined;

  constructor(
    private readonly config: Pick<Config, 'spamHoldScore' | 'spamMinDecisions' | 'spamRetrainMinutes'>,
    private readonly now: () => number,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  /** A moderator's decision on a comment (comment.moderated): a lesson for the classifier. */
  onModerated({ commentId, action, text }: DomainEventMap['comment.moderated']): void {
    const label =
      // Dismissing reports says the comment belongs as much as approving it does.
      action === 'approve' || action === 'restore' || action === 'dismiss'
        ? 'ham'
        : action === 'lock' || action === 'unlock'
          ? null
          : 'spam';
    if (label && text.trim()) this.learn(commentId, label, text).catch(this.onError);
  }

  private needed(): { total: number; each: number } {
    const total = this.config.spamMinDecisions;
    return { total, each: Math.max(1, Math.ceil(total / 10)) };
  }

  /** Records a moderator's decision (the latest on a comment wins). */
  async learn(commentId: Types.ObjectId | string, label: 'spam' | 'ham', text: string): Promise<void> {
    await upsertOne(SpamDecisionModel, { _id: commentId }, { $set: { label, text } });
  }

  async counts(): Promise<{ spam: number; ham: number; total: number }> {
    const [spam, ham] = await Promise.all([
      SpamDecisionModel.countDocuments({ label: 'spam' }),
      SpamDecisionModel.countDocuments({ label: 'ham' }),
    ]);
    return { spam, ham, total: spam + ham };
  }

  /**
   * The comment's spam score (0-100) if the classifier is on and knows enough, else null. In
   * memory, synchronous: it costs a new comment well under a millisecond.
   */
  score(text: string): number | null {
    if (!this.config.spamHoldScore || !this.inForce) return null;
    const { spam, ham } = this.inForce.record;
    const needed = this.needed();
    if (spam + ham < needed.total || Math.min(spam, ham) < needed.each) return null;
    return score(this.inForce.classifier, text);
  }

  /**
   * Trains on the decisions now: measures on the held-out fifth, then trains the model in force
   * on all of them, and stores it as the next revision. Null when there are not enough decisions.
   */
  async train(): Promise<SpamModelRecord | null> {
    // One training at a time in a process (a double click, or the schedule meanwhile).
    this.training ??= this.trainNow().finally(() => (this.training = undefined));
    return this.training;
  }

  private async trainNow(): Promise<SpamModelRecord | null> {
    const counts = await this.counts();
    const needed = this.needed();
    if (counts.total < needed.total || Math.min(counts.spam, counts.ham) < needed.each) return null;
    const decisions = await SpamDecisionModel.find()
      .sort({ _id: -1 })
      .limit(MAX_DECISIONS)
      .select('label text')
      .lean<SpamDecision[]>();
    const training: Labelled[] = [];
    const testing: SpamDecision[] = [];
    for (const d of decisions) (isHeldOut(d._id) ? testing : training).push(d);
    const heldOut: { score: number; spam: boolean }[] = [];
    if (training.some((d) => d.label === 'spam') && training.some((d) => d.label === 'ham')) {
      const measured = train(training);
      for (const d of testing) heldOut.push({ score: score(measured, d.text), spam: d.label === 'spam' });
    }
    const classifier = train(decisions);
    const latest = await SpamModelModel.findOne().sort({ _id: -1 }).select('_id').lean<{ _id: number }>();
    const revision = (latest?._id ?? 0) + 1;
    const spam = decisions.filter((d) => d.label === 'spam').length;
    const fields = {
      _id: revision,
      model: classifier.exportJSON(),
      spam,
      ham: decisions.length - spam,
      heldOut,
    };
    try {
      const saved = await SpamModelModel.create(fields);
      this.inForce = { revision, classifier, record: { ...fields, createdAt: saved.createdAt } };
    } catch (err) {
      // Another process stored this revision first: use whatever is newest.
      if (!isDuplicateKey(err)) throw err;
      await this.refresh();
      return this.inForce?.record ?? null;
    }
    if (revision > KEEP_MODELS + 1) {
      await SpamModelModel.deleteMany({ _id: mongoose.trusted({ $lt: revision - KEEP_MODELS }) });
    }
    return this.inForce.record;
  }

  /** Loads the newest stored model if it is newer than the one in force. */
  async refresh(): Promise<void> {
    const latest = await SpamModelModel.findOne().sort({ _id: -1 }).select('_id').lean<{ _id: number }>();
    if (!latest || latest._id <= (this.inForce?.revision ?? 0)) return;
    const record = await SpamModelModel.findById(latest._id).lean<SpamModelRecord>();
    if (!record) return;
    this.inForce = { revision: record._id, classifier: load(record.model), record };
  }

  /**
   * One turn of the schedule: read a newer model, and train if this process claims this period
   * (one insert per period succeeds, whichever process makes it).
   */
  async tick(): Promise<void> {
    await this.refresh();
    const period = Math.floor(this.now() / (this.config.spamRetrainMinutes * 60000));
    const trainedAt = this.inForce?.record.createdAt?.getTime() ?? 0;
    if (trainedAt >= period * this.config.spamRetrainMinutes * 60000) return;
    try {
      await SpamTrainingClaimModel.create({ _id: `train:${this.config.spamRetrainMinutes}:${period}` });
    } catch (err) {
      if (isDuplicateKey(err)) return;
      throw err;
    }
    await this.train();
  }

  /** Runs the schedule every minute (unref'd). */
  start(): void {
    this.stop();
    const run = () => void this.tick().catch(this.onError);
    run();
    this.timer = setInterval(run, 60000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** For the settings page: decisions so far, what is needed, and the model's figures at the threshold in force. */
  async status(): Promise<SpamStatus> {
    await this.refresh();
    const decisions = await this.counts();
    const record = this.inForce?.record;
    const threshold = this.config.spamHoldScore;
    return {
      enabled: threshold > 0,
      active: threshold > 0 && this.score('') !== null,
      decisions,
      needed: this.needed(),
      model: record && {
        revision: record._id,
        trainedAt: record.createdAt,
        spam: record.spam,
        ham: record.ham,
        figures: figures(record.heldOut, threshold || 100),
      },
    };
  }
}
