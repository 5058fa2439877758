/** Import lines for tests: a small organisation and incident histories that obey every rule. */
export interface EventLine {
  type: string;
  data: Record<string, unknown>;
  id?: string;
  streamId?: string;
  metadata?: Record<string, unknown>;
}

const minutes = (start: string, offset: number) => new Date(Date.parse(start) + offset * 60_000).toISOString();

export function orgHistory(prefix: string): EventLine[] {
  const at = '2023-01-02T09:00:00Z';
  return [
    { type: 'PersonRegistered', data: { personId: `${prefix}-ana`, name: 'Ana Lima', timeZone: 'America/Sao_Paulo', occurredAt: at } },
    { type: 'PersonRegistered', data: { personId: `${prefix}-bo`, name: 'Bo Chen', timeZone: 'Asia/Shanghai', occurredAt: at } },
    { type: 'TeamFormed', data: { teamId: `${prefix}-payments`, name: 'Payments', occurredAt: at } },
    { type: 'TeamMemberAdded', data: { teamId: `${prefix}-payments`, personId: `${prefix}-ana`, role: 'lead', occurredAt: at } },
    { type: 'TeamMemberAdded', data: { teamId: `${prefix}-payments`, personId: `${prefix}-bo`, occurredAt: at } },
    { type: 'ServiceRegistered', data: { serviceId: `${prefix}-checkout`, name: 'Checkout', tier: 1, occurredAt: at } },
    { type: 'ServiceOwnershipAssigned', data: { serviceId: `${prefix}-checkout`, teamId: `${prefix}-payments`, occurredAt: at } },
  ];
}

/** One incident from declaration to review, on `day` (0-based) after 2023-03-01. */
export function incidentHistory(prefix: string, incidentId: string, day = 0): EventLine[] {
  const start = new Date(Date.parse('2023-03-01T10:00:00Z') + day * 86_400_000).toISOString();
  const at = (offset: number) => minutes(start, offset);
  const incident = { incidentId };
  return [
    { type: 'IncidentDeclared', data: { ...incident, title: `Checkout errors ${incidentId}`, severity: 'SEV2', impactedServiceIds: [`${prefix}-checkout`], occurredAt: at(0) } },
    { type: 'ResponderPaged', data: { ...incident, personId: `${prefix}-ana`, occurredAt: at(1) } },
    { type: 'ResponderJoined', data: { ...incident, personId: `${prefix}-ana`, role: 'commander', occurredAt: at(4) } },
    { type: 'ResponderJoined', data: { ...incident, personId: `${prefix}-bo`, role: 'responder', occurredAt: at(6) } },
    { type: 'TimelineNoteAdded', data: { ...incident, noteId: 'n1', text: 'Error rate up after deploy 2023.03.1; rolling back.', authorId: `${prefix}-ana`, occurredAt: at(9) } },
    { type: 'IncidentMitigated', data: { ...incident, mitigatedBy: `${prefix}-bo`, occurredAt: at(20) } },
    { type: 'IncidentResolved', data: { ...incident, resolvedBy: `${prefix}-ana`, occurredAt: at(45) } },
    { type: 'ActionItemCreated', data: { ...incident, actionItemId: 'a1', title: 'Canary deploys for checkout', ownerTeamId: `${prefix}-payments`, occurredAt: at(120) } },
  ];
}

export const toNdjson = (lines: readonly (EventLine | string)[]): string =>
  lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n') + '\n';
