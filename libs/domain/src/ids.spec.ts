import { categoryOf, isEntityId, streamIdOf } from './ids';

describe('streamIdOf', () => {
  it.each([
    ['person', 'ana', 'person-ana'],
    ['team', 'payments', 'team-payments'],
    ['service', 'checkout', 'service-checkout'],
    ['incident', 'INC-1042', 'incident-INC-1042'],
  ] as const)('%s %s -> %s', (category, entityId, streamId) => {
    expect(streamIdOf(category, entityId)).toBe(streamId);
  });
});

describe('categoryOf', () => {
  it('is the text before the first dash, even when the entity id has dashes', () => {
    expect(categoryOf('incident-INC-1042')).toBe('incident');
    expect(categoryOf('service-checkout-api')).toBe('service');
  });

  it('is the whole stream id when there is no dash', () => {
    expect(categoryOf('person')).toBe('person');
  });

  it('inverts streamIdOf', () => {
    expect(categoryOf(streamIdOf('team', 'a-b-c'))).toBe('team');
  });
});

describe('isEntityId', () => {
  it.each(['a', 'ana', 'INC-1042', 'ana@example.com', 'svc:checkout.v2_eu-1', '9lives', 'x'.repeat(128)])('accepts %s', (id) => {
    expect(isEntityId(id)).toBe(true);
  });

  it.each(['', 'x'.repeat(129), '-ana', '.ana', '_ana', '@ana', 'ana smith', 'ana/1', 'ana#1', 'änna', 'ana\n'])('refuses %j', (id) => {
    expect(isEntityId(id)).toBe(false);
  });

  it.each([42, null, undefined, ['ana'], { id: 'ana' }])('refuses the non-string %j', (value) => {
    expect(isEntityId(value)).toBe(false);
  });
});
