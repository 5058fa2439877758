import { planned, runsOfType, statementsOf } from './apply-batch';
import { derivedStatement } from './derived';
import { projectionStatement } from './handlers';

const e = (streamId: string, type: string, n: number) => ({ streamId, type, n });
const shape = (runs: ReturnType<typeof e>[][]) => runs.map((run) => `${run[0].type}:${run.map((x) => x.n).join(',')}`);

describe('runsOfType', () => {
  it('gathers the events of one type from many streams into one run', () => {
    const batch = [e('i1', 'Declared', 1), e('i1', 'Joined', 2), e('i2', 'Declared', 3), e('i2', 'Joined', 4), e('i3', 'Declared', 5)];
    expect(shape(runsOfType(batch))).toEqual(['Declared:1,3,5', 'Joined:2,4']);
  });

  it('keeps the order of each stream: an event never lands in a run before its predecessor', () => {
    const batch = [e('s', 'Joined', 1), e('s', 'Left', 2), e('s', 'Joined', 3), e('t', 'Joined', 4), e('t', 'Left', 5)];
    const runs = runsOfType(batch);
    expect(shape(runs)).toEqual(['Joined:1,4', 'Left:2,5', 'Joined:3']);
    for (const stream of ['s', 't']) {
      const order = runs.flat().filter((x) => x.streamId === stream).map((x) => x.n);
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  });

  it('keeps consecutive events of one stream and type together, in order', () => {
    expect(shape(runsOfType([e('s', 'Note', 1), e('s', 'Note', 2), e('t', 'Note', 3)]))).toEqual(['Note:1,2,3']);
  });

  it('keeps every stream in order on random batches, with no more runs than consecutive runs of one type', () => {
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 200; round++) {
      const batch = Array.from({ length: 1 + Math.floor(random() * 60) }, (_, n) => e(`s${Math.floor(random() * 6)}`, `T${Math.floor(random() * 4)}`, n));
      const runs = runsOfType(batch);
      expect(runs.flat()).toHaveLength(batch.length);
      for (const run of runs) expect(new Set(run.map((x) => x.type)).size).toBe(1);
      const position = new Map(runs.flatMap((run, r) => run.map((x, i) => [x.n, [r, i]] as const)));
      for (let a = 0; a < batch.length; a++) {
        for (let b = a + 1; b < batch.length; b++) {
          if (batch[a].streamId !== batch[b].streamId) continue;
          const [ra, ia] = position.get(a)!;
          const [rb, ib] = position.get(b)!;
          expect(ra < rb || (ra === rb && ia < ib)).toBe(true);
        }
      }
      const consecutive = batch.filter((x, i) => i === 0 || batch[i - 1].type !== x.type).length;
      expect(runs.length).toBeLessThanOrEqual(consecutive);
    }
  });
});

describe('planned and statementsOf', () => {
  it('sends live statements with replan=skip and catch-up statements as they are', () => {
    const statement = projectionStatement('IncidentDeclared');
    expect(planned(statement, 'catch-up')).toBe(statement);
    expect(planned(statement, 'live')).toBe(`CYPHER replan=skip ${statement}`);
  });

  it('lists each type once, projection before derived, and leaves out unknown types', () => {
    const types = ['ResponderJoined', 'ResponderJoined', 'NoSuchEvent', 'TeamFormed'];
    expect(statementsOf(types)).toEqual(
      [projectionStatement('ResponderJoined'), derivedStatement('ResponderJoined'), projectionStatement('TeamFormed'), derivedStatement('TeamFormed')].filter(
        (s) => s !== null,
      ),
    );
  });
});
