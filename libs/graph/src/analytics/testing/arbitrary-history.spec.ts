import fc from 'fast-check';
import { arbitraryHistory } from './arbitrary-history';
import { ReferenceAnalytics } from './reference';

/**
 * The random histories exercise every definition: over a sample of 200, each interesting case
 * (as the reference sees it) comes up in some of them. Occurrence counts are printed.
 */
describe('arbitraryHistory', () => {
  it('keeps occurredAt non-decreasing in every stream', () => {
    fc.assert(
      fc.property(arbitraryHistory, (h) => {
        const last = new Map<string, number>();
        for (const e of h.events) {
          const d = e.data;
          const stream = String(d.incidentId ?? d.serviceId ?? d.teamId ?? d.personId);
          const at = Date.parse(String(d.occurredAt));
          expect(at).toBeGreaterThanOrEqual(last.get(stream) ?? -Infinity);
          last.set(stream, at);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('produces every case the analyses distinguish', async () => {
    const counts: Record<string, number> = {};
    const seen = (name: string, yes: boolean) => (counts[name] = (counts[name] ?? 0) + (yes ? 1 : 0));
    for (const h of fc.sample(arbitraryHistory, { numRuns: 200, seed: 42 })) {
      const a = new ReferenceAnalytics(h.events);
      const o = h.options;
      const types = new Set(h.events.map((e) => e.type));
      for (const t of ['TeamReparented', 'TeamDissolved', 'ServiceRetired', 'PersonUpdated', 'CommandHandedOff', 'IncidentReopened', 'ActionItemCancelled'])
        seen(t, types.has(t));
      const heroes = await a.heroes({ ...o, limit: 100 });
      seen('outsider engagement', heroes.some((x) => x.outsiderIncidents > 0));
      seen('off-hours engagement', heroes.some((x) => x.offHoursIncidents > 0));
      const edges = await a.teamCollaboration(o);
      seen('collaboration edge', edges.length > 0);
      seen('hidden coupling (null distance)', edges.some((x) => x.orgDistance === null));
      seen('edge with a distance', edges.some((x) => x.orgDistance !== null));
      const zones = await a.timeZones(o);
      seen('handoff across zones', zones.handoffsAcrossZones.length > 0);
      seen('incident with 2+ zones', zones.incidents.some((x) => x.zones > 1));
      const debt = await a.actionItemDebt({ ...o, asOf: h.asOf });
      seen('overdue item', debt.some((x) => x.overdue > 0));
      seen('null completion rate', debt.some((x) => x.completionRate === null));
      const drift = await a.onCallDrift(o);
      seen('covered incident', drift.covered > 0);
      seen('drifted incident', drift.drifted > 0);
      const load = await a.load({ now: o.now, limit: 100 });
      seen('concurrent engagements', load.some((x) => x.maxConcurrent > 1));
      const paging = await a.pagingVsPresence(o);
      seen('paged, not joined', paging.people.some((x) => x.pagedNotJoined > 0));
      const cost = await a.coordinationCost(o);
      seen('empty window', cost.incidents === 0);
      const burden = await a.serviceBurden({ ...o, limit: 100 });
      seen('cost estimate', burden.some((x) => x.cost.length > 0));
      seen('placeholder', (await a.placeholders()).length > 0);
      seen('kept by outsiders', (await a.orgDelta(o)).servicesKeptByOutsiders.length > 0);
    }
    process.stderr.write(`arbitraryHistory, cases in 200 histories: ${JSON.stringify(counts)}\n`);
    for (const [name, count] of Object.entries(counts)) expect([name, count > 0]).toEqual([name, true]);
  });
});
