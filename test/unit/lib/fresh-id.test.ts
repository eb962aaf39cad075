import { freshId } from '../../../server/lib/fresh-id';

describe('freshId', () => {
  it('gives 16-character base64url ids, never the same twice, across refills of its pool', () => {
    const ids = Array.from({ length: 2000 }, () => freshId());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[\w-]{16}$/);
  });
});
