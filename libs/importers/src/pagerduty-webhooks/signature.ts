import { createHmac, timingSafeEqual } from 'node:crypto';

/** Why a signature was refused; the API answers 401 with this code. */
export type SignatureFailure = 'SIGNATURE_MISSING' | 'SIGNATURE_INVALID' | 'TIMESTAMP_MISSING' | 'TIMESTAMP_STALE';

export type SignatureCheck = { ok: true } | { ok: false; code: SignatureFailure; message: string };

/** Compares two strings in constant time (for equal lengths). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** `v1=` + hex HMAC-SHA256 of the raw body with the webhook's secret: what PagerDuty sends. */
export function signPagerDuty(rawBody: Buffer | string, secret: string): string {
  return `v1=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/**
 * Checks `X-PagerDuty-Signature`: one or more comma-separated `v1=<hex>` signatures (several while
 * a secret is rotated); one that matches the HMAC of the raw body is enough. PagerDuty signs no
 * timestamp: replays are recognised by the event id (deterministic event ids).
 */
export function verifyPagerDutySignature(rawBody: Buffer, header: string | undefined, secret: string): SignatureCheck {
  if (!header || header.trim() === '') {
    return { ok: false, code: 'SIGNATURE_MISSING', message: 'X-PagerDuty-Signature is missing: PagerDuty v3 webhooks are signed with v1=<hex hmac-sha256>' };
  }
  const expected = signPagerDuty(rawBody, secret);
  const matches = header
    .split(',')
    .map((part) => part.trim())
    .some((candidate) => safeEqual(candidate, expected));
  return matches ? { ok: true } : { ok: false, code: 'SIGNATURE_INVALID', message: 'X-PagerDuty-Signature does not match the body signed with PAGERDUTY_WEBHOOK_SECRET' };
}
