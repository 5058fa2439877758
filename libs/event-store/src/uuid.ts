import { createHash, randomUUID } from 'node:crypto';

/** Namespace for Catalyst's name-based event ids (UUIDv5). */
export const CATALYST_NAMESPACE = '6f1c2b1e-6c53-4b8f-9a53-6a0f4a1f7c21';

/** RFC 4122 UUIDv5: the same name always yields the same id, so a retried write is recognised. */
export function uuidV5(name: string, namespace = CATALYST_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export const newEventId = (): string => randomUUID();
