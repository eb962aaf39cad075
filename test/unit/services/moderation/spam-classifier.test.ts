import {
  features,
  figures,
  load,
  score,
  train,
} from '../../../../server/services/moderation/spam-classifier';

describe('spam classifier', () => {
  it('sees stemmed words without stop words, and the links, hosts, shouting and money words miss', () => {
    expect(features('The managers were managing')).toEqual(['manag', 'manag']);
    const seen = features(
      'EARN MONEY NOW: $500 a day at https://www.quick-cash.example/x and www.other.example',
    );
    expect(seen).toEqual(
      expect.arrayContaining([
        'earn',
        'zzlink',
        'zzhost_quick-cash.example',
        'zzhost_other.example',
        'zzshout',
        'zzmoney',
      ]),
    );
    expect(features('I earned my raise')).not.toContain('zzmoney');
  });

  it('scores from 0 to 100, 50 for words it never saw, and survives a round trip through JSON', () => {
    const nbc = train([
      { text: 'cheap pills online https://pills.example', label: 'spam' },
      { text: 'casino bonus free spins https://spins.example', label: 'spam' },
      { text: 'talk to your manager about the schedule', label: 'ham' },
      { text: 'my manager agreed to a flexible schedule', label: 'ham' },
    ]);
    const spam = score(nbc, 'free casino pills https://pills.example');
    const ham = score(nbc, 'ask your manager about a schedule');
    expect(spam).toBeGreaterThan(60);
    expect(ham).toBeLessThan(40);
    expect(score(nbc, 'zebra quantum')).toBe(50);
    const again = load(nbc.exportJSON());
    expect(score(again, 'free casino pills https://pills.example')).toBe(spam);
  });

  it('computes precision and recall at a threshold, null when there is nothing to divide', () => {
    const heldOut = [
      { score: 95, spam: true },
      { score: 91, spam: false },
      { score: 40, spam: true },
      { score: 10, spam: false },
    ];
    expect(figures(heldOut, 90)).toEqual({
      threshold: 90,
      tested: 4,
      truePositives: 1,
      falsePositives: 1,
      falseNegatives: 1,
      precision: 0.5,
      recall: 0.5,
    });
    expect(figures(heldOut, 99).precision).toBeNull();
    expect(figures([{ score: 5, spam: false }], 50).recall).toBeNull();
  });
});
