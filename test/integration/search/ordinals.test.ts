import { SearchBlockModel } from '../../../models/search';
import { BLOCK, Ordinals } from '../../../server/services/search/ordinals';
import { SearchIndex } from '../../../server/services/search/search-index';

describe('index ordinals', () => {
  it('are never handed out twice, by three processes taking them at once', async () => {
    const processes = [new Ordinals(), new Ordinals(), new Ordinals()];
    const taken = await Promise.all(
      processes.flatMap((ordinals) => [ordinals.take(3000), ordinals.take(2500), ordinals.take(1)]),
    );
    const all = taken.flat();
    expect(new Set(all).size).toBe(all.length);
    for (const run of taken) expect(run).toEqual([...run].sort((a, b) => a - b));
    // Blocks claimed once each.
    const blocks = await SearchBlockModel.find().lean();
    expect(new Set(blocks.map((b) => b._id)).size).toBe(blocks.length);
    expect(blocks.length).toBeGreaterThanOrEqual(Math.ceil(all.length / BLOCK));
  });

  it('go on above what was handed out before a rebuild', async () => {
    const before = await new Ordinals().take(10);
    await new SearchIndex().clear();
    const after = await new Ordinals().take(10);
    expect(Math.min(...after)).toBeGreaterThan(Math.max(...before));
  });
});
