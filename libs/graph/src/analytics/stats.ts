/**
 * The arithmetic of ANALYTICS.md that is easier to state in TypeScript than in Cypher: order
 * statistics, the sweep for concurrent engagements and distances in the team tree. Pure functions.
 */
import type { Stats } from './types';

/** Median (mean of the two middle values for an even count); null for an empty list. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Nearest-rank percentile 90: the value at 1-based position ceil(0.9 n), computed in integers. */
export function p90(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = Math.floor((9 * sorted.length + 9) / 10);
  return sorted[position - 1];
}

export function stats(values: readonly number[]): Stats {
  return { median: median(values), p90: p90(values), max: values.length === 0 ? null : Math.max(...values) };
}

/** A ratio, or null when the denominator is zero. */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/**
 * The largest number of half-open intervals [start, end) open at one instant. An interval that ends
 * when another starts does not overlap it; an empty interval is never open.
 */
export function maxConcurrent(intervals: readonly (readonly [number, number])[]): number {
  const points: [number, number][] = [];
  for (const [start, end] of intervals) {
    if (end <= start) continue;
    points.push([start, 1], [end, -1]);
  }
  // Ends before starts at the same instant.
  points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let most = 0;
  for (const [, delta] of points) {
    open += delta;
    if (open > most) most = open;
  }
  return most;
}

/**
 * Org distance between two teams in a tree given as child -> parent: the number of parent links on
 * the path through their lowest common ancestor (a team and its parent: 1; siblings: 2); null when
 * they share no ancestor. A cycle in the links (history can produce one) ends the walk.
 */
export function orgDistance(parentOf: ReadonlyMap<string, string>, a: string, b: string): number | null {
  const depthFromA = new Map<string, number>();
  let current: string | undefined = a;
  for (let depth = 0; current !== undefined && !depthFromA.has(current); depth += 1) {
    depthFromA.set(current, depth);
    current = parentOf.get(current);
  }
  const seen = new Set<string>();
  current = b;
  for (let depth = 0; current !== undefined && !seen.has(current); depth += 1) {
    const fromA = depthFromA.get(current);
    if (fromA !== undefined) return fromA + depth;
    seen.add(current);
    current = parentOf.get(current);
  }
  return null;
}

/**
 * The pairs of teams of the tree at org distance 1 or 2 (parent, grandparent, sibling), as `a|b`
 * keys with a < b (entity ids hold no `|`): what a hidden coupling is not.
 */
export function nearPairs(parentOf: ReadonlyMap<string, string>): Record<string, true> {
  const teams = [...new Set([...parentOf.keys(), ...parentOf.values()])].sort(compareIds);
  const near: Record<string, true> = {};
  for (let i = 0; i < teams.length; i++) {
    for (let j = i + 1; j < teams.length; j++) {
      const distance = orgDistance(parentOf, teams[i], teams[j]);
      if (distance !== null && distance < 3) near[`${teams[i]}|${teams[j]}`] = true;
    }
  }
  return near;
}

/** Code-unit order, as Neo4j orders strings. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
