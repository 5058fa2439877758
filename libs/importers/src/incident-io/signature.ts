import { createHmac } from 'node:crypto';
import { safeEqual, type SignatureCheck } from '../pagerduty-webhooks/signature';

/** The key of a Svix-style secret: `whsec_<base64>` -> the decoded bytes (a secret without the prefix is taken as base64 too). */
export function svixKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
}

/** `v1,<base64 hmac-sha256 of "id.timestamp.body">`: what incident.io (Svix) sends in webhook-signature. */
export function signIncidentIo(id: string, timestamp: number | string, rawBody: Buffer | string, secret: string): string {
  const hmac = createHmac('sha256', svixKey(secret)).update(`${id}.${timestamp}.`).update(rawBody).digest('base64');
  return `v1,${hmac}`;
}

export interface IncidentIoHeaders {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

/**
 * Checks incident.io's Svix headers: webhook-id, webhook-timestamp (unix seconds, within
 * toleranceSeconds of now either way) and webhook-signature (space-separated `v1,<base64>`
 * entries; one match is enough).
 */
export function verifyIncidentIoSignature(rawBody: Buffer, headers: IncidentIoHeaders, secret: string, toleranceSeconds: number, nowMs = Date.now()): SignatureCheck {
  if (!headers.signature || headers.signature.trim() === '') {
    return { ok: false, code: 'SIGNATURE_MISSING', message: 'webhook-signature is missing: incident.io signs with v1,<base64 hmac-sha256 of "id.timestamp.body">' };
  }
  if (!headers.id || !headers.timestamp) {
    return { ok: false, code: 'TIMESTAMP_MISSING', message: 'webhook-id and webhook-timestamp are required with webhook-signature' };
  }
  if (!/^\d{1,12}$/.test(headers.timestamp)) {
    return { ok: false, code: 'TIMESTAMP_MISSING', message: `webhook-timestamp must be unix seconds, got ${JSON.stringify(headers.timestamp)}` };
  }
  const skew = Math.abs(nowMs / 1000 - Number(headers.timestamp));
  if (skew > toleranceSeconds) {
    return {
      ok: false,
      code: 'TIMESTAMP_STALE',
      message: `webhook-timestamp is ${Math.round(skew)} s away from now, beyond the tolerance of ${toleranceSeconds} s (WEBHOOK_TOLERANCE_SECONDS): refused as a replay`,
    };
  }
  const expected = signIncidentIo(headers.id, headers.timestamp, rawBody, secret);
  const matches = headers.signature
    .split(' ')
    .map((part) => part.trim())
    .some((candidate) => safeEqual(candidate, expected));
  return matches ? { ok: true } : { ok: false, code: 'SIGNATURE_INVALID', message: 'webhook-signature does not match the body signed with INCIDENT_IO_WEBHOOK_SECRET' };
}
