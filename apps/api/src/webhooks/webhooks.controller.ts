import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import type { EventStore } from '@app/event-store';
import {
  INCIDENT_IO_SOURCE,
  PAGERDUTY_SOURCE,
  PayloadError,
  appendDelivery,
  mapIncidentIoWebhook,
  mapPagerDutyWebhook,
  verifyIncidentIoSignature,
  verifyPagerDutySignature,
  type MappedDelivery,
  type SignatureCheck,
} from '@app/importers';
import type { Config } from '@app/runtime';
import { CONFIG, EVENT_STORE, LOGGER } from '../tokens';

const header = (request: Request, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};

/**
 * Receivers of provider webhooks. Each one: no secret configured -> 503 naming the variable; a
 * missing or wrong signature, or (incident.io) a timestamp beyond WEBHOOK_TOLERANCE_SECONDS -> 401
 * with a code; a payload the mapper cannot read -> 400 naming the field; otherwise the mapped
 * events go through the importer core (deterministic ids: a re-delivery appends nothing) and the
 * answer is 200 with what was appended, or 202 when the whole delivery was skipped (unmapped type).
 */
@Controller('webhooks')
export class WebhooksController {
  private readonly log: Logger;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'webhooks' });
  }

  @Post('pagerduty')
  async pagerDuty(@Req() request: RawBodyRequest<Request>, @Res() response: Response): Promise<void> {
    const secret = this.config.webhooks.pagerdutySecret;
    await this.receive('pagerduty', request, response, {
      secretVariable: 'PAGERDUTY_WEBHOOK_SECRET',
      secret,
      verify: (raw) => verifyPagerDutySignature(raw, header(request, 'x-pagerduty-signature'), secret as string),
      map: (body) => mapPagerDutyWebhook(body),
      source: PAGERDUTY_SOURCE,
    });
  }

  @Post('incident-io')
  async incidentIo(@Req() request: RawBodyRequest<Request>, @Res() response: Response): Promise<void> {
    const secret = this.config.webhooks.incidentIoSecret;
    const webhookId = header(request, 'webhook-id');
    await this.receive('incident-io', request, response, {
      secretVariable: 'INCIDENT_IO_WEBHOOK_SECRET',
      secret,
      verify: (raw) =>
        verifyIncidentIoSignature(
          raw,
          { id: webhookId, timestamp: header(request, 'webhook-timestamp'), signature: header(request, 'webhook-signature') },
          secret as string,
          this.config.webhooks.toleranceSeconds,
        ),
      map: (body) => mapIncidentIoWebhook(body, webhookId as string),
      source: INCIDENT_IO_SOURCE,
    });
  }

  private async receive(
    provider: string,
    request: RawBodyRequest<Request>,
    response: Response,
    how: { secretVariable: string; secret: string | null; verify(raw: Buffer): SignatureCheck; map(body: unknown): MappedDelivery; source: string },
  ): Promise<void> {
    const log = this.log.child({ provider });
    if (!how.secret) {
      log.warn({ variable: how.secretVariable }, 'webhook refused: no secret configured');
      response.status(503).json({
        code: 'WEBHOOK_NOT_CONFIGURED',
        message: `the ${provider} webhook is off: set ${how.secretVariable} to the webhook's signing secret (unsigned payloads are never accepted)`,
      });
      return;
    }
    const raw = request.rawBody;
    if (!raw || !request.is('application/json')) {
      response.status(400).json({ code: 'INVALID_PAYLOAD', field: '$', rule: 'isJson', message: 'the body must be JSON (content-type: application/json)' });
      return;
    }
    const check = how.verify(raw);
    if (!check.ok) {
      log.warn({ code: check.code }, 'webhook refused: %s', check.message);
      response.status(401).json({ code: check.code, message: check.message });
      return;
    }
    let mapped: MappedDelivery;
    try {
      mapped = how.map(request.body);
    } catch (error) {
      if (!(error instanceof PayloadError)) throw error;
      log.info({ field: error.field, rule: error.rule }, 'webhook payload refused: %s', error.message);
      response.status(400).json({ code: 'INVALID_PAYLOAD', field: error.field, rule: error.rule, message: error.message });
      return;
    }
    let result;
    try {
      result = await appendDelivery(this.store, mapped, { source: how.source });
    } catch (error) {
      if (!(error instanceof PayloadError)) {
        // The provider retries a 5xx later; ids are deterministic, so the retry appends what this one did not.
        log.error({ err: error, deliveryId: mapped.deliveryId }, 'webhook append failed');
        response.status(500).json({ code: 'INTERNAL', message: 'the events could not be appended; retry later' });
        return;
      }
      log.info({ field: error.field, rule: error.rule, deliveryId: mapped.deliveryId }, 'webhook payload refused: %s', error.message);
      response.status(400).json({ code: 'INVALID_PAYLOAD', field: error.field, rule: error.rule, message: error.message });
      return;
    }
    for (const skip of result.skipped) log.info({ deliveryId: mapped.deliveryId, eventType: mapped.eventType, ref: skip.ref }, 'webhook record skipped: %s', skip.reason);
    log.info(
      { deliveryId: mapped.deliveryId, eventType: mapped.eventType, appended: result.appended, duplicates: result.duplicates, skipped: result.skipped.length },
      'webhook received',
    );
    const nothingMapped = mapped.events.length === 0;
    response.status(nothingMapped ? 202 : 200).json({
      deliveryId: mapped.deliveryId,
      eventType: mapped.eventType,
      appended: result.appended,
      duplicates: result.duplicates,
      skipped: result.skipped,
      lastPosition: result.lastPosition,
    });
  }
}
