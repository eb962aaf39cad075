import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import { findComments, insertComments, setUnseen } from '../services/comments/comment-store.js';
import { LetterModel } from '../../models/letter.js';
import { PostModel } from '../../models/post.js';
import { ReportModel } from '../../models/report.js';
import { renderCommentMarkdown } from '../lib/markdown.js';
import { DEMO_POSTS } from './demo-posts.js';

type Progress = (message: string) => void;

const LETTERS = [
  {
    reference: 'Q-DEMO01',
    status: 'new',
    subject: 'My manager schedules meetings during my lunch break',
    pseudonym: 'Hungry in Hamburg',
    body: 'Every week a new 12:30 meeting appears. I have asked twice. What now?',
  },
  {
    reference: 'Q-DEMO02',
    status: 'new',
    subject: 'Is it rude to decline a coworker’s wedding invitation?',
    pseudonym: '',
    body: 'We sit next to each other but are not close. The wedding is abroad.',
  },
  {
    reference: 'Q-DEMO03',
    status: 'shortlisted',
    subject: 'A recruiter wants my salary history',
    pseudonym: 'Underpaid',
    body: 'They insist before the first interview. Do I have to tell them?',
  },
  {
    reference: 'Q-DEMO04',
    status: 'declined',
    subject: 'Should I buy a boat?',
    pseudonym: '',
    body: 'Not about work, I know.',
  },
  {
    reference: 'Q-DEMO05',
    status: 'archived',
    subject: 'Update: the printer situation',
    pseudonym: 'Toner Trouble',
    body: 'It was fixed, thank you.',
  },
] as const;

const HELD = [
  {
    name: 'First Timer',
    body: 'Long-time reader, first comment: this happened to me too.',
    why: 'first comment from this email address',
  },
  {
    name: 'Link Lover',
    body: 'I wrote about this here: https://example.com/my-blog-post',
    why: 'contains a link',
  },
  { name: 'Heated Hal', body: 'Your boss sounds like an absolute idiot.', why: 'matches a watched word' },
];

/**
 * What a new editor or moderator should find on first start: letters in each state in the inbox,
 * held comments in the queue and reported ones. Once only (by the letters' references).
 */
export async function seedStaffDemo(
  progress: Progress = () => undefined,
  now = new Date(),
): Promise<boolean> {
  if (await LetterModel.exists({ reference: 'Q-DEMO01' })) return false;
  const post = await PostModel.findOne({ slug: DEMO_POSTS[0].slug }).select('_id').lean();
  if (!post) return false;
  progress('staff demo: letters in each state, held and reported comments');
  for (const [i, letter] of LETTERS.entries()) {
    await LetterModel.create({
      ...letter,
      email: `reader${i + 1}@example.com`,
      consentPublish: true,
      createdAt: new Date(now.getTime() - (i + 1) * 3600000),
    });
  }
  const [last] = await findComments({ post: post._id }).sort({ number: -1 }).limit(1).select('number').lean();
  let number = last?.number ?? 0;
  for (const held of HELD) {
    const _id = new Types.ObjectId();
    number += 1;
    await insertComments([
      {
        _id,
        post: post._id,
        parent: null,
        ancestors: [],
        root: _id,
        depth: 0,
        number,
        authorName: held.name,
        authorEmail: `${held.name.toLowerCase().replace(/\W+/g, '.')}@example.com`,
        bodySource: held.body,
        bodyHtml: renderCommentMarkdown(held.body),
        status: 'pending',
        heldReason: held.why,
      },
    ]);
  }
  const reported = await findComments({ post: post._id, status: 'visible', authorKind: 'guest' })
    .sort({ number: 1 })
    .limit(2)
    .select('_id')
    .lean();
  for (const [i, comment] of reported.entries()) {
    await ReportModel.create({
      comment: comment._id,
      post: post._id,
      reporterKey: `ip:demo-reporter-${i + 1}`,
      category: i === 0 ? 'abuse' : 'spam',
      reason: i === 0 ? 'Personal attack on another commenter.' : 'It is an advert.',
    });
    await setUnseen(comment._id, { reportCount: 1 });
  }
  // Readers' cached copies of the thread are out of date now.
  await PostModel.updateOne({ _id: post._id }, { $set: { threadVersion: randomBytes(8).toString('hex') } });
  return true;
}
