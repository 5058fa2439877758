import { EVENT_TYPES } from '@app/domain';
import { PROJECTION, projectionStatement } from './handlers';

describe('projection statements (no database)', () => {
  it('has one statement per event type and no other', () => {
    expect(Object.keys(PROJECTION).sort()).toEqual([...EVENT_TYPES].sort());
  });

  it.each(EVENT_TYPES)('%s takes every value from $events', (type) => {
    const statement = projectionStatement(type);
    expect(statement.match(/\$\w+/g)).toEqual(['$events']);
    expect(statement).toMatch(/^UNWIND \$events AS e CALL \(e\) \{/);
  });

  // Review a change of the generated Cypher here; `jest -u` records an intended one.
  it('generates the reviewed Cypher', () => {
    const normalized = Object.fromEntries(EVENT_TYPES.map((type) => [type, projectionStatement(type).replace(/\s+/g, ' ').trim()]));
    expect(normalized).toMatchSnapshot();
  });
});
