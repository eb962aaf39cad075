import * as cheerio from 'cheerio';
import { AuditEntryModel } from '../../../models/audit-entry';
import { buildUser, csrfFrom, signIn } from '../../fixtures/users';
import { buildTestApp } from '../../setup/app';

describe('the audit log: editors’ post actions too, paged, and as CSV', () => {
  const { app, services } = buildTestApp();

  it('records creating, publishing, editing, closing and unpublishing a post, and exports them as safe CSV', async () => {
    const editor = await buildUser(services, 'editor');
    const admin = await buildUser(services, 'admin');
    const { agent } = await signIn(app, editor.username);
    const form = await agent.get('/editor/posts/new').expect(200);
    const fields = {
      title: '=HYPERLINK("http://evil.example") and a "quoted", title',
      slug: 'audit-me',
      letter: 'A reader writes about audits.',
      answer: 'Keep logs.',
      tags: 'audits',
      authorName: 'Marisol Vance',
      status: 'published',
      commentStatus: 'open',
      publishAt: '',
    };
    const created = await agent
      .post('/editor/posts')
      .type('form')
      .send({ _csrf: csrfFrom(form.text), ...fields })
      .expect(303);
    const editPath = created.headers.location.split('?')[0];
    const id = editPath.split('/')[3];
    let page = await agent.get(editPath).expect(200);
    await agent
      .post(`/editor/posts/${id}`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), ...fields, answer: 'Keep good logs.', commentStatus: 'closed' })
      .expect(303);
    page = await agent.get(editPath).expect(200);
    await agent
      .post(`/editor/posts/${id}`)
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        ...fields,
        answer: 'Keep good logs.',
        commentStatus: 'closed',
        status: 'draft',
      })
      .expect(303);

    const entries = await AuditEntryModel.find({ targetId: id }).sort({ _id: 1 }).lean();
    expect(entries.map((e) => [e.action, e.reason])).toEqual([
      ['post.create', ''],
      ['post.publish', ''],
      ['post.edit', 'changed: answer'],
      ['post.close', ''],
      ['post.edit', ''],
      ['post.unpublish', 'was published'],
    ]);
    expect(entries.every((e) => e.actorName === editor.username)).toBe(true);

    const adminAgent = (await signIn(app, admin.username)).agent;
    const log = cheerio.load((await adminAgent.get('/admin/audit?action=post.publish').expect(200)).text);
    expect(log('tbody tr')).toHaveLength(1);
    const csv = await adminAgent.get('/admin/audit.csv').expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toContain('attachment');
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('when,who,action,target_type,target_id,target,reason,changes');
    expect(lines).toHaveLength(7);
    // Newest first; the title cannot run as a formula in a spreadsheet, and its quotes are doubled.
    expect(lines[1]).toContain(
      `,post.unpublish,post,${id},"'=HYPERLINK(""http://evil.example"") and a ""quoted"", title",was published`,
    );
    const filtered = await adminAgent.get('/admin/audit.csv?action=post.close').expect(200);
    expect(filtered.text.trim().split('\r\n')).toHaveLength(2);
    await agent.get('/admin/audit.csv').expect(403);
  });
});
