import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importIncidentIoFile } from './import-file';
import { sharedData, tempStores } from '@test/support';

const EXAMPLES = sharedData('incident-io/derived/response-examples.json');
const INCIDENT = '01FDAG4SAP5TYPT98WGR2N7W91';
const LISA = '01FCNDV6P870EA6S7TK1DSYDG0';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('catalyst import incident-io on the examples, into a real SQLite log', () => {
  const temp = tempStores('catalyst-iio-');
  const openStore = () => temp.open();

  it('imports the examples file as it is: the incident and its lead; the follow-up and membership name other incidents and are refused; a second run appends nothing', async () => {
    const store = openStore();
    const summary = await importIncidentIoFile(store, EXAMPLES);
    expect(summary.records).toEqual({ incidents: 1, followUps: 1, memberships: 1 });
    expect([summary.appended, summary.rejected]).toEqual([2, 2]);
    expect(summary.problems.map((problem) => [problem.field, problem.rule, problem.message])).toEqual([
      ['$["POST /v1/incident_memberships 201"].example.incident_membership -> ResponderJoined', 'NOT_FOUND', 'Incident incident.io:01FCNDV6P870EA6S7TK1DSYD5H does not exist'],
      ['$["GET /v2/follow_ups 200"].example.follow_ups[0] -> ActionItemCreated', 'NOT_FOUND', `Incident incident.io:${LISA} does not exist`],
    ]);
    // The same incident in 7 more responses (list, get, create, edit; v1 and v2), and the follow-up in its get: read once.
    expect(summary.skipped).toHaveLength(7);
    const log = await store.readStream(`incident-incident.io:${INCIDENT}`);
    expect(log.map((event) => [event.type, event.data])).toEqual([
      [
        'IncidentDeclared',
        {
          incidentId: `incident.io:${INCIDENT}`,
          title: 'Our database is sad',
          severity: 'SEV3',
          declaredBy: `incident.io:${LISA}`,
          summary: "Our database is really really sad, and we don't know why yet.",
          occurredAt: '2021-08-17T13:28:57.801578Z',
        },
      ],
      ['ResponderJoined', { incidentId: `incident.io:${INCIDENT}`, personId: `incident.io:${LISA}`, role: 'commander', occurredAt: '2021-08-17T13:28:57.801578Z' }],
    ]);
    expect(log.every((event) => event.metadata.source === 'import:incident-io')).toBe(true);

    const again = await importIncidentIoFile(store, EXAMPLES);
    expect([again.appended, again.skippedDuplicates]).toEqual([0, 2]);
  });

  it('imports follow-ups and memberships of an incident in the file: created, completed, cancelled; a member already leading is refused', async () => {
    const examples = JSON.parse(readFileSync(EXAMPLES, 'utf8')) as Json;
    const incident = examples['GET /v2/incidents 200'].example.incidents[0];
    const followUp = examples['GET /v2/follow_ups 200'].example.follow_ups[0];
    const membership = examples['POST /v1/incident_memberships 201'].example.incident_membership;
    // The examples' follow-up and membership point at ids of no example incident: here they point at the example incident.
    const file = join(temp.dir, 'export.json');
    writeFileSync(
      file,
      JSON.stringify({
        incidents: [{ ...incident, incident_status: { ...incident.incident_status, category: 'closed' }, updated_at: '2021-08-17T16:00:00Z' }],
        follow_ups: [
          { ...followUp, incident_id: INCIDENT, status: 'completed' },
          { ...followUp, id: 'FU-2', incident_id: INCIDENT, status: 'not_doing', updated_at: '2021-08-18T10:00:00Z' },
        ],
        incident_membership: { ...membership, incident_id: INCIDENT },
        incident_memberships: [{ ...membership, id: 'M-2', incident_id: INCIDENT, user: { id: 'U-OTHER' }, created_at: '2021-08-17T13:30:00Z' }],
      }),
    );
    const store = openStore();
    const summary = await importIncidentIoFile(store, file);
    expect(summary.problems.map((problem) => problem.rule)).toEqual(['incident.alreadyResponding']); // Lisa leads it already
    const log = await store.readStream(`incident-incident.io:${INCIDENT}`);
    expect(log.map((event) => event.type)).toEqual([
      'IncidentDeclared',
      'ResponderJoined', // Lisa, lead -> commander
      'ActionItemCreated', // both follow-ups were created at the declaration instant in the example
      'ActionItemCreated',
      'ActionItemCompleted', // completed at that instant too
      'ResponderJoined', // U-OTHER's membership, 13:30
      'IncidentResolved', // closed, at updated_at
      'ActionItemCancelled', // not_doing, 2021-08-18
    ]);
    expect(log[5].data).toMatchObject({ personId: 'incident.io:U-OTHER', role: 'responder' });
    expect(log[7].data).toMatchObject({ actionItemId: 'incident.io:FU-2', reason: 'not doing' });
  });
});
