import * as cheerio from 'cheerio';
import { LetterModel } from '../../../models/letter';
import { buildComment, buildPost } from '../../fixtures/factories';
import { buildUser, signIn } from '../../fixtures/users';
import { buildTestApp } from '../../setup/app';

describe('long queues and inboxes are read a page at a time, newest first', () => {
  const { app, services } = buildTestApp();

  it('pages the pending queue by key: 50, then the rest, then back to the newest', async () => {
    const post = await buildPost();
    for (let i = 0; i < 55; i += 1)
      await buildComment(post, { status: 'pending', bodyHtml: `<p>held ${i}</p>` });
    const moderator = await buildUser(services, 'moderator');
    const { agent } = await signIn(app, moderator.username);

    const first = cheerio.load((await agent.get('/moderation?queue=pending').expect(200)).text);
    expect(first('.queue-item')).toHaveLength(50);
    expect(first('.queue-item .comment__body').first().text()).toBe('held 54');
    const older = first('a[rel=next]').attr('href')!;
    expect(older).toMatch(/^\/moderation\?queue=pending&before=[0-9a-f]{24}$/);

    const second = cheerio.load((await agent.get(older).expect(200)).text);
    expect(
      second('.queue-item .comment__body')
        .map((_, el) => second(el).text())
        .get(),
    ).toEqual(['held 4', 'held 3', 'held 2', 'held 1', 'held 0']);
    expect(second('a[rel=next]')).toHaveLength(0);
    expect(second('.pagination a').attr('href')).toBe('/moderation?queue=pending');
  });

  it('pages the letters inbox the same way, keeping the filter', async () => {
    await LetterModel.insertMany(
      Array.from({ length: 52 }, (_, i) => ({
        reference: `Q-PAGE${String(i).padStart(2, '0')}`,
        subject: `Letter ${i}`,
        body: 'A question.',
        email: `r${i}@example.com`,
        consentPublish: true,
        status: 'new',
      })),
    );
    const editor = await buildUser(services, 'editor');
    const { agent } = await signIn(app, editor.username);
    const first = cheerio.load((await agent.get('/editor/letters?status=new').expect(200)).text);
    expect(first('tbody tr')).toHaveLength(50);
    const older = first('a[rel=next]').attr('href')!;
    expect(older).toMatch(/^\/editor\/letters\?status=new&before=[0-9a-f]{24}$/);
    const second = cheerio.load((await agent.get(older).expect(200)).text);
    expect(
      second('tbody tr td:nth-child(2)')
        .map((_, el) => second(el).text())
        .get(),
    ).toEqual(['Letter 1', 'Letter 0']);
  });
});
