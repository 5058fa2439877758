import { Controller, Get, Header, NotFoundException, Param } from '@nestjs/common';
import { stringify } from 'yaml';
import { EVENT_TYPES } from '@app/domain';
import { eventSchemaDocuments } from '@app/domain/schemas/event-schemas';

/**
 * Serves the event JSON Schemas and the AsyncAPI document. They are generated from the payload
 * classes in memory: the same documents as the committed schemas/ (a drift test keeps those equal).
 */
@Controller('schemas')
export class SchemasController {
  private readonly documents = eventSchemaDocuments();
  private readonly asyncApiYaml = stringify(this.documents.asyncapi, { aliasDuplicateObjects: false });

  @Get()
  index() {
    return {
      asyncapi: '/schemas/asyncapi.yaml',
      events: '/schemas/events.schema.json',
      eventTypes: [...EVENT_TYPES].sort().map((type) => ({ type, schema: `/schemas/events/${type}.schema.json` })),
    };
  }

  @Get('asyncapi.yaml')
  @Header('content-type', 'application/yaml; charset=utf-8')
  asyncApi(): string {
    return this.asyncApiYaml;
  }

  @Get('events.schema.json')
  @Header('content-type', 'application/schema+json; charset=utf-8')
  all(): string {
    return JSON.stringify(this.documents.schemas['events.schema.json'], null, 2);
  }

  @Get('events/:file')
  @Header('content-type', 'application/schema+json; charset=utf-8')
  one(@Param('file') file: string): string {
    const match = /^([A-Za-z]+)\.schema\.json$/.exec(file);
    const schema = match ? this.documents.schemas[`events/${match[1]}.schema.json`] : undefined;
    if (!schema) throw new NotFoundException(`no schema ${file}; GET /schemas lists them`);
    return JSON.stringify(schema, null, 2);
  }
}
