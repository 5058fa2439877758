import type { Driver, ManagedTransaction, Session, Transaction } from 'neo4j-driver';

/**
 * Counts the Cypher statements the API's resolvers send to Neo4j (driver.executeQuery, session.run,
 * tx.run inside executeRead/executeWrite/beginTransaction). The API's NEO4J_DRIVER is wrapped with it
 * (the embedded projector keeps the raw driver), so tests can assert that reads are batched.
 */
export class StatementCounter {
  private total = 0;

  get count(): number {
    return this.total;
  }

  reset(): void {
    this.total = 0;
  }

  wrap(driver: Driver): Driver {
    return new Proxy(driver, {
      get: (target, prop) => {
        if (prop === 'executeQuery') {
          return (...args: Parameters<Driver['executeQuery']>) => {
            this.total += 1;
            return target.executeQuery(...args);
          };
        }
        if (prop === 'session') return (...args: Parameters<Driver['session']>) => this.wrapSession(target.session(...args));
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  private wrapSession(session: Session): Session {
    return new Proxy(session, {
      get: (target, prop) => {
        if (prop === 'run') {
          return (...args: Parameters<Session['run']>) => {
            this.total += 1;
            return target.run(...args);
          };
        }
        if (prop === 'executeRead' || prop === 'executeWrite') {
          return <T>(work: (tx: ManagedTransaction) => Promise<T> | T, config?: Parameters<Session['executeRead']>[1]) =>
            target[prop]((tx: ManagedTransaction) => work(this.wrapTransaction(tx)), config);
        }
        if (prop === 'beginTransaction') {
          return (...args: Parameters<Session['beginTransaction']>) => this.wrapTransaction(target.beginTransaction(...args));
        }
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  private wrapTransaction<T extends ManagedTransaction | Transaction>(tx: T): T {
    return new Proxy(tx, {
      get: (target, prop) => {
        if (prop === 'run') {
          return (...args: Parameters<T['run']>) => {
            this.total += 1;
            return (target.run as (...a: unknown[]) => unknown)(...args);
          };
        }
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  }
}
