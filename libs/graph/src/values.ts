import neo4j, { isDate, isDateTime, isDuration, isInt, isLocalDateTime, isNode, isRelationship } from 'neo4j-driver';
import type { DateTime, Integer, Node, Relationship } from 'neo4j-driver';
import { formatDateTime } from './temporal';

/** Neo4j values -> JSON-friendly values: integers to numbers (or strings past 2^53), temporals to ISO strings (a DateTime as temporal.ts writes it). */
export function toPlain(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (isInt(value)) return value.inSafeRange() ? value.toNumber() : value.toString();
  if (typeof value === 'bigint') return value.toString();
  if (isDateTime(value as object)) return formatDateTime(value as DateTime);
  if (isDate(value as object) || isLocalDateTime(value as object) || isDuration(value as object)) return String(value);
  if (isNode(value as object)) {
    const node = value as Node;
    return { labels: node.labels, properties: toPlain(node.properties) };
  }
  if (isRelationship(value as object)) {
    const rel = value as Relationship;
    return { type: rel.type, properties: toPlain(rel.properties) };
  }
  if (Array.isArray(value)) return value.map(toPlain);
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toPlain(v)]));
  }
  return value;
}

export function toNeo4jInt(position: string): Integer {
  return neo4j.int(position);
}
