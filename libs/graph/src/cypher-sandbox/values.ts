import neo4j, { isDate, isDateTime, isDuration, isInt, isLocalDateTime, isLocalTime, isNode, isPath, isPoint, isRelationship, isTime } from 'neo4j-driver';
import type { DateTime, Node, Path, Point, Relationship } from 'neo4j-driver';
import { CypherSandboxError } from './errors';
import { formatDateTime } from '../temporal';

/** Any Neo4j value as JSON: integers as numbers (strings past 2^53), temporals as ISO strings, nodes/relationships/paths as objects. */
export function cypherValueToJson(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (isInt(value)) return value.inSafeRange() ? value.toNumber() : value.toString();
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value !== 'object') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (isDateTime(value)) {
    // As every DateTime Catalyst returns (temporal.ts), with the zone id kept when the query made one.
    const zoneId = (value as DateTime).timeZoneId;
    return zoneId ? `${formatDateTime(value as DateTime)}[${zoneId}]` : formatDateTime(value as DateTime);
  }
  if (isDate(value) || isLocalDateTime(value) || isLocalTime(value) || isTime(value) || isDuration(value)) return String(value);
  if (isPoint(value)) {
    const point = value as Point;
    return { srid: cypherValueToJson(point.srid), x: point.x, y: point.y, ...(point.z !== undefined ? { z: point.z } : {}) };
  }
  if (isNode(value)) {
    const node = value as Node;
    return { elementId: node.elementId, labels: node.labels, properties: cypherValueToJson(node.properties) };
  }
  if (isRelationship(value)) {
    const rel = value as Relationship;
    return { elementId: rel.elementId, type: rel.type, startElementId: rel.startNodeElementId, endElementId: rel.endNodeElementId, properties: cypherValueToJson(rel.properties) };
  }
  if (isPath(value)) {
    const path = value as Path;
    return {
      start: cypherValueToJson(path.start),
      end: cypherValueToJson(path.end),
      segments: path.segments.map((s) => ({ start: cypherValueToJson(s.start), relationship: cypherValueToJson(s.relationship), end: cypherValueToJson(s.end) })),
    };
  }
  if (Array.isArray(value)) return value.map(cypherValueToJson);
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, cypherValueToJson(v)]));
}

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;

/** JSON parameters for Neo4j: whole numbers become Cypher integers (LIMIT $n works), the rest as given. */
export function jsonToCypherParams(params: unknown): Record<string, unknown> {
  if (params === null || params === undefined) return {};
  if (typeof params !== 'object' || Array.isArray(params)) {
    throw new CypherSandboxError('BAD_USER_INPUT', 'isObject', 'params: must be a JSON object of parameter names to values');
  }
  const convert = (value: unknown, depth: number): unknown => {
    if (depth > 20) throw new CypherSandboxError('BAD_USER_INPUT', 'maxDepth', 'params: nested deeper than 20 levels');
    if (typeof value === 'number') return Number.isSafeInteger(value) ? neo4j.int(value) : value;
    if (Array.isArray(value)) return value.map((v) => convert(v, depth + 1));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v, depth + 1)]));
    }
    return value;
  };
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params)) {
    if (!PARAM_NAME.test(name)) {
      throw new CypherSandboxError('BAD_USER_INPUT', 'paramName', `params.${name}: parameter names are letters, digits and _ (at most 100)`);
    }
    result[name] = convert(value, 0);
  }
  return result;
}
