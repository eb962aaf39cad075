import { CommentModel } from '../../../models/comment';
import type { DomainEventMap } from '../../../server/services/events';
import { buildPost, postComment } from '../../fixtures/factories';
import { buildUser } from '../../fixtures/users';
import { buildTestApp } from '../../setup/app';

/** Each event has one meaning: listeners never guess whether a comment is new or newly shown. */
describe('a comment’s events as readers see it', () => {
  const { services } = buildTestApp();

  function record() {
    const heard: string[] = [];
    const names: (keyof DomainEventMap)[] = [
      'comment.created',
      'comment.released',
      'comment.updated',
      'comment.hidden',
      'comment.deleted',
    ];
    const offs = names.map((name) => services.events.on(name, () => heard.push(name)));
    return { heard, stop: () => offs.forEach((off) => off()) };
  }

  it('new and shown: created; held then approved: released (not created); removed: hidden; restored: released', async () => {
    const post = await buildPost();
    const mod = await buildUser(services, 'moderator');
    const actor = mod;

    const events = record();
    const shown = await postComment(services, post, { name: 'Shown Sam', body: 'Shown at once.' });
    expect(events.heard).toEqual(['comment.created']);

    const held = await postComment(services, post, { name: 'Held Hal', body: 'Held for a look.' });
    await CommentModel.updateOne(
      { _id: held._id },
      { $set: { status: 'pending', heldReason: 'first comment' } },
    );
    events.heard.length = 0;
    await services.moderation.act(actor, String(held._id), 'approve');
    expect(events.heard).toEqual(['comment.released']);

    events.heard.length = 0;
    await services.moderation.act(actor, String(shown._id), 'remove', 'Off topic');
    expect(events.heard).toEqual(['comment.hidden']);

    events.heard.length = 0;
    await services.moderation.act(actor, String(shown._id), 'restore');
    expect(events.heard).toEqual(['comment.released']);
    events.stop();
  });
});
