import type { EventStore } from '../event-store';
import { appendContract } from './contract-append';
import { readContract } from './contract-read';
import { subscribeContract } from './contract-subscribe';

export interface OpenedStore {
  store: EventStore;
  cleanup(): Promise<void>;
}

/** What each part of the contract gets: the store of the running test. */
export interface ContractContext {
  store(): EventStore;
}

/**
 * The one behaviour every EventStore adapter must have (EVENTS.md, Envelope; event-store.ts).
 * Each test opens its own store and uses its own stream ids, categories and event types, so the
 * suite also runs against a shared server where other tests append at the same time: assertions
 * about the whole log are made between positions the test itself observed.
 */
export function eventStoreContract(name: string, open: () => Promise<OpenedStore>): void {
  describe(`EventStore contract: ${name}`, () => {
    let opened: OpenedStore | undefined;

    beforeEach(async () => {
      opened = await open();
    });

    afterEach(async () => {
      await opened?.cleanup();
      opened = undefined;
    });

    const context: ContractContext = {
      store() {
        if (!opened) throw new Error('no store is open outside a test');
        return opened.store;
      },
    };

    appendContract(context);
    readContract(context);
    subscribeContract(context);
  });
}
