import { maxConcurrent, median, nearPairs, orgDistance, p90, ratio, stats } from './stats';

describe('order statistics', () => {
  it('median of an odd and an even count, and of nothing', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it('p90 is the nearest rank ceil(0.9 n), without floating-point drift', () => {
    expect(p90([1])).toBe(1);
    expect(p90([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toBe(9);
    expect(p90(Array.from({ length: 11 }, (_, i) => i + 1))).toBe(10); // ceil(9.9) = 10
    // 0.9 * 70 = 63.00000000000001 in floating point; the rank is 63.
    expect(p90(Array.from({ length: 70 }, (_, i) => i + 1))).toBe(63);
    expect(p90([])).toBeNull();
  });

  it('stats of an empty list are nulls; ratios with a zero denominator are null', () => {
    expect(stats([])).toEqual({ median: null, p90: null, max: null });
    expect(stats([3, 1, 2])).toEqual({ median: 2, p90: 3, max: 3 });
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(0, 4)).toBe(0);
  });
});

describe('maxConcurrent', () => {
  it('counts half-open intervals: touching ones do not overlap, empty ones are never open', () => {
    expect(maxConcurrent([])).toBe(0);
    expect(maxConcurrent([[0, 10], [10, 20]])).toBe(1);
    expect(maxConcurrent([[0, 10], [5, 20], [6, 7]])).toBe(3);
    expect(maxConcurrent([[5, 5], [5, 5]])).toBe(0);
    expect(maxConcurrent([[0, 10], [5, 5]])).toBe(1);
  });
});

describe('orgDistance', () => {
  // root <- a <- a1, root <- b; c alone.
  const tree = new Map([
    ['a', 'root'],
    ['a1', 'a'],
    ['b', 'root'],
  ]);
  it('counts parent links through the lowest common ancestor', () => {
    expect(orgDistance(tree, 'a', 'root')).toBe(1);
    expect(orgDistance(tree, 'a', 'b')).toBe(2);
    expect(orgDistance(tree, 'a1', 'b')).toBe(3);
    expect(orgDistance(tree, 'b', 'a1')).toBe(3);
    expect(orgDistance(tree, 'a1', 'a1')).toBe(0);
  });
  it('is null without a common ancestor, and a cycle ends the walk', () => {
    expect(orgDistance(tree, 'a', 'c')).toBeNull();
    const cycle = new Map([
      ['x', 'y'],
      ['y', 'x'],
    ]);
    expect(orgDistance(cycle, 'x', 'z')).toBeNull();
    expect(orgDistance(cycle, 'x', 'y')).toBe(1);
  });
});

describe('nearPairs', () => {
  it('holds the pairs at distance 1 or 2, sorted within the key, and nothing at 3 or without a common ancestor', () => {
    // root <- a <- a1, root <- b, b <- b1; x <- y (another tree).
    const tree = new Map([
      ['a', 'root'],
      ['a1', 'a'],
      ['b', 'root'],
      ['b1', 'b'],
      ['y', 'x'],
    ]);
    expect(Object.keys(nearPairs(tree)).sort()).toEqual(['a1|root', 'a|a1', 'a|b', 'a|root', 'b1|root', 'b|b1', 'b|root', 'x|y'].sort());
    expect(nearPairs(tree)['a1|b']).toBeUndefined(); // distance 3
    expect(nearPairs(tree)['a1|b1']).toBeUndefined(); // distance 4
    expect(nearPairs(new Map())).toEqual({});
  });
});
