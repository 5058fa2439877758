import type { RebuildProgress } from '@app/graph';
import { describeProgress } from './projections';

const deleting = (counts: Pick<RebuildProgress, 'deleted' | 'remaining' | 'relationshipsDeleted' | 'relationshipsRemaining'>): RebuildProgress => ({
  phase: 'deleting',
  generation: 1,
  position: '0',
  headPosition: '0',
  eventsPerSecond: 0,
  ...counts,
});

describe('describeProgress (the rebuild progress line)', () => {
  it('counts relationships while they go first, so that the line moves although no node is deleted yet', () => {
    expect(describeProgress('graph', deleting({ deleted: 0, remaining: 120_000, relationshipsDeleted: 40_000, relationshipsRemaining: 910_500 }))).toBe(
      'rebuild graph: deleting the old graph · 40,000 relationships deleted · 910,500 left · then 120,000 nodes',
    );
  });

  it('counts nodes once the relationships are gone', () => {
    expect(describeProgress('graph', deleting({ deleted: 5_000, remaining: 115_000, relationshipsDeleted: 950_500, relationshipsRemaining: 0 }))).toBe(
      'rebuild graph: deleting the old graph · 5,000 nodes deleted · 115,000 left',
    );
  });

  it('shows the position against the head, in per mille, while projecting', () => {
    const progress: RebuildProgress = { phase: 'projecting', generation: 2, deleted: 0, remaining: 0, relationshipsDeleted: 0, relationshipsRemaining: 0, position: '333', headPosition: '1000', eventsPerSecond: 2946 };
    expect(describeProgress('graph', progress)).toBe('rebuild graph: projecting · position 333/1000 (33.3%) · 2,946 events/s');
  });
});
