import { isControlError, practicePositions, practiceView, theoryPositions, theoryView, variablesOf, type DeltaData } from './model';

const r = (id: string, name: string | null = id.toUpperCase()) => ({ id, name });

/** Engineering > Payments (ana lead, cy; owns checkout), Platform (bo, and cy too; owns db). */
function data(overrides: Partial<DeltaData> = {}): DeltaData {
  return {
    orgTree: [
      { team: r('eng'), parent: null, members: [], services: [] },
      { team: r('pay'), parent: r('eng'), members: [{ person: r('ana'), role: 'lead' }, { person: r('cy'), role: 'member' }], services: [r('checkout')] },
      { team: r('plat'), parent: null, members: [{ person: r('bo'), role: 'member' }, { person: r('cy'), role: 'member' }], services: [r('db')] },
    ],
    responseEdges: [
      { person: r('bo'), team: r('pay'), incidents: 4, outsiderIncidents: 4 },
      { person: r('ana'), team: r('pay'), incidents: 2, outsiderIncidents: 0 },
      { person: r('zed', null), team: r('plat'), incidents: 1, outsiderIncidents: 1 },
    ],
    teamCollaboration: [
      { teamA: r('pay'), teamB: r('plat'), sharedIncidents: 3, orgDistance: null },
      { teamA: r('eng'), teamB: r('pay'), sharedIncidents: 1, orgDistance: 1 },
    ],
    orgDelta: {
      heroes: [{ person: r('bo'), incidents: 4, outsiderIncidents: 4, offHoursIncidents: 1, teamsHelped: 1, helpedTeams: [r('pay')], share: 0.8 }],
      servicesKeptByOutsiders: [{ service: r('checkout'), incidents: 4, engagements: 6, outsiderShare: 0.67, topOutsiders: [] }],
      actionItemDebt: [],
      onCallDrift: { covered: 0, drifted: 0, driftShare: null, incidents: [] },
    },
    ...overrides,
  };
}

describe('web page model', () => {
  it('theory: teams nested under their parent, each person once (first team by id), further memberships as edges, services in their team', () => {
    const view = theoryView(data());
    expect(view.counts).toEqual({ teams: 3, people: 3, services: 2, extraMemberships: 1, heroes: 1, outsiders: 1 });
    const byId = new Map(view.elements.map((e) => [e.data.id, e]));
    expect(byId.get('team:pay')?.data.parent).toBe('team:eng');
    expect(byId.get('team:eng')?.data.parent).toBeUndefined();
    expect(byId.get('person:cy')?.data.parent).toBe('team:pay');
    expect(byId.get('member:cy:plat')?.data).toMatchObject({ source: 'person:cy', target: 'team:plat' });
    expect(byId.get('person:bo')?.classes).toEqual(['person', 'hero', 'outsider']);
    expect(byId.get('person:ana')?.classes).toEqual(['person', 'lead']);
    expect(byId.get('service:checkout')?.classes).toEqual(['service', 'kept']);
  });

  it('theory: a parent outside the tree (dissolved, placeholder) leaves the team at the top', () => {
    const view = theoryView(data({ orgTree: [{ team: r('a'), parent: r('gone'), members: [], services: [] }] }));
    expect(view.elements[0].data.parent).toBeUndefined();
  });

  it('practice: response edges weighted by incidents, outsider edges and hidden couplings marked, names falling back to ids', () => {
    const view = practiceView(data());
    expect(view.counts).toEqual({ teams: 3, people: 3, responseEdges: 3, outsiderEdges: 2, collaborationEdges: 2, hiddenCouplings: 1, heroes: 1 });
    const byId = new Map(view.elements.map((e) => [e.data.id, e]));
    expect(byId.get('responded:bo:pay')).toMatchObject({ data: { weight: 1, label: '4 (4 as outsider)' }, classes: ['responded', 'outsider'] });
    expect(byId.get('responded:ana:pay')).toMatchObject({ data: { weight: 0.5, label: '2' }, classes: ['responded'] });
    expect(byId.get('shared:pay:plat')?.classes).toEqual(['shared', 'hidden']);
    expect(byId.get('shared:eng:pay')?.classes).toEqual(['shared']);
    expect(byId.get('person:zed')?.data.label).toBe('zed');
  });

  it('layouts are deterministic; a team block holds its members; people sit nearer the teams they work for', () => {
    const theory = theoryView(data());
    const a = theoryPositions(theory.elements);
    expect(theoryPositions(theory.elements)).toEqual(a);
    // Every leaf has a position; Payments' people are laid out below Engineering's (empty) row.
    for (const id of ['person:ana', 'person:cy', 'person:bo', 'service:checkout', 'service:db']) expect(a.get(id)).toBeDefined();
    const practice = practiceView(data());
    const p = practicePositions(practice.elements);
    const dist = (x: string, y: string) => Math.hypot(p.get(x)!.x - p.get(y)!.x, p.get(x)!.y - p.get(y)!.y);
    expect(dist('person:ana', 'team:pay')).toBeLessThan(dist('person:ana', 'team:plat'));
    expect(dist('person:zed', 'team:plat')).toBeLessThan(dist('person:zed', 'team:pay'));
    // Nudged apart: no two people on top of each other.
    expect(dist('person:ana', 'person:bo')).toBeGreaterThanOrEqual(33.9);
  });

  it('controls: UTC days and an instant become API variables; asOf follows `to`; bad input names the control', () => {
    expect(variablesOf({ from: '2025-04-01', to: '2025-07-01', asOf: '' })).toEqual({
      window: { from: '2025-04-01T00:00:00.000Z', to: '2025-07-01T00:00:00.000Z' },
      asOf: '2025-07-01T00:00:00.000Z',
      maxEdges: 2000,
    });
    expect(variablesOf({ from: '', to: '', asOf: '2025-01-20T12:00' })).toMatchObject({ window: { from: null, to: null }, asOf: '2025-01-20T12:00:00.000Z' });
    expect(variablesOf({ from: '', to: '', asOf: '' })).toMatchObject({ asOf: null });
    const bad = [
      variablesOf({ from: '2025-13-01', to: '', asOf: '' }),
      variablesOf({ from: '2025-07-01', to: '2025-04-01', asOf: '' }),
      variablesOf({ from: '', to: '', asOf: 'yesterday' }),
    ];
    expect(bad.every(isControlError)).toBe(true);
    expect(bad.map((x) => (isControlError(x) ? x.field : null))).toEqual(['from', 'to', 'asOf']);
  });
});
