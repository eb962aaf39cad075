import * as cheerio from 'cheerio';
import request from 'supertest';
import { buildTestApp } from '../setup/app';

describe('errors', () => {
  const { app } = buildTestApp();

  it('renders the 404 page for an unknown URL', async () => {
    const res = await request(app).get('/no/such/page').expect(404);
    expect(res.type).toBe('text/html');
    const $ = cheerio.load(res.text);
    expect($('h1').text()).toBe('Page not found');
    expect($('main a[href="/"]')).toHaveLength(1);
  });

  it('answers JSON for an unknown /api URL', async () => {
    const res = await request(app).get('/api/nothing-here').expect(404);
    expect(res.body).toEqual({
      error: { code: 'not_found', message: 'No API route for GET /api/nothing-here.' },
    });
  });

  it('sends security headers and a request id', async () => {
    const res = await request(app).get('/healthz').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-request-id']).toMatch(/^[\w-]+$/);
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
