import { NotFound, RuleViolation } from '../errors';
import type { ServiceRegistered } from '../events';
import { DeciderSpecification, rule } from '../testing/decider-specification';
import { fold } from './decider';
import { serviceDecider, type ServiceEvent } from './service';

const serviceId = 'checkout';
const at = '2026-02-01T00:00:00Z';
const registeredData: ServiceRegistered = { serviceId, name: 'Checkout', tier: 1, occurredAt: '2026-01-01T00:00:00Z' };
const registered: ServiceEvent = { type: 'ServiceRegistered', data: registeredData };
const retired: ServiceEvent = { type: 'ServiceRetired', data: { serviceId, occurredAt: at } };
const ownedByPayments: ServiceEvent = { type: 'ServiceOwnershipAssigned', data: { serviceId, teamId: 'payments', occurredAt: at } };
const dependsOnDb: ServiceEvent = { type: 'ServiceDependencyAdded', data: { serviceId, dependsOnServiceId: 'orders-db', occurredAt: at } };

const given = (...events: ServiceEvent[]) => DeciderSpecification.for(serviceDecider).given(events);

describe('service decider', () => {
  describe('RegisterService', () => {
    it('registers a new service', () => {
      given().when({ type: 'RegisterService', data: registeredData }).then([registered]);
    });

    it('refuses a second registration: ServiceRegistered is the first event of the stream', () => {
      given(registered).when({ type: 'RegisterService', data: registeredData }).thenThrows(RuleViolation, rule('service.alreadyRegistered'));
    });
  });

  describe('AssignServiceOwner', () => {
    const data = { serviceId, teamId: 'payments', occurredAt: at };

    it('assigns an owner', () => {
      given(registered).when({ type: 'AssignServiceOwner', data }).then([{ type: 'ServiceOwnershipAssigned', data }]);
    });

    it('hands the service to another team', () => {
      const handover = { serviceId, teamId: 'checkout-team', occurredAt: '2026-03-01T00:00:00Z' };
      given(registered, ownedByPayments)
        .when({ type: 'AssignServiceOwner', data: handover })
        .then([{ type: 'ServiceOwnershipAssigned', data: handover }]);
    });

    it('refuses the team that already owns it', () => {
      given(registered, ownedByPayments)
        .when({ type: 'AssignServiceOwner', data: { ...data, occurredAt: '2026-03-01T00:00:00Z' } })
        .thenThrows(RuleViolation, (e) => e.details.rule === 'service.alreadyOwned' && e.details.teamId === 'payments');
    });

    it('refuses a retired service', () => {
      given(registered, retired).when({ type: 'AssignServiceOwner', data }).thenThrows(RuleViolation, rule('service.retired'));
    });

    it('refuses a service that does not exist with NotFound', () => {
      given().when({ type: 'AssignServiceOwner', data }).thenThrows(NotFound, (e) => e.details.serviceId === serviceId);
    });
  });

  describe('AddServiceDependency', () => {
    const data = { serviceId, dependsOnServiceId: 'orders-db', occurredAt: at };

    it('adds a dependency', () => {
      given(registered).when({ type: 'AddServiceDependency', data }).then([{ type: 'ServiceDependencyAdded', data }]);
    });

    it('refuses a dependency on itself', () => {
      given(registered)
        .when({ type: 'AddServiceDependency', data: { ...data, dependsOnServiceId: serviceId } })
        .thenThrows(RuleViolation, rule('service.dependsOnSelf'));
    });

    it('refuses a dependency it already has', () => {
      given(registered, dependsOnDb).when({ type: 'AddServiceDependency', data }).thenThrows(RuleViolation, rule('service.dependencyExists'));
    });

    it('refuses a retired service', () => {
      given(registered, retired).when({ type: 'AddServiceDependency', data }).thenThrows(RuleViolation, rule('service.retired'));
    });

    it('refuses a service that does not exist with NotFound', () => {
      given().when({ type: 'AddServiceDependency', data }).thenThrows(NotFound);
    });
  });

  describe('RemoveServiceDependency', () => {
    const data = { serviceId, dependsOnServiceId: 'orders-db', occurredAt: '2026-03-01T00:00:00Z' };

    it('removes a dependency', () => {
      given(registered, dependsOnDb).when({ type: 'RemoveServiceDependency', data }).then([{ type: 'ServiceDependencyRemoved', data }]);
    });

    it('refuses a dependency it does not have', () => {
      given(registered, dependsOnDb)
        .when({ type: 'RemoveServiceDependency', data: { ...data, dependsOnServiceId: 'search' } })
        .thenThrows(RuleViolation, rule('service.noSuchDependency'));
    });

    it('refuses a dependency that was already removed', () => {
      given(registered, dependsOnDb, { type: 'ServiceDependencyRemoved', data })
        .when({ type: 'RemoveServiceDependency', data })
        .thenThrows(RuleViolation, rule('service.noSuchDependency'));
    });

    it('refuses a retired service', () => {
      given(registered, dependsOnDb, retired).when({ type: 'RemoveServiceDependency', data }).thenThrows(RuleViolation, rule('service.retired'));
    });
  });

  describe('RetireService', () => {
    const data = { serviceId, occurredAt: at };

    it('retires an active service', () => {
      given(registered).when({ type: 'RetireService', data }).then([{ type: 'ServiceRetired', data }]);
    });

    it('refuses to retire a service twice', () => {
      given(registered, retired).when({ type: 'RetireService', data }).thenThrows(RuleViolation, rule('service.retired'));
    });

    it('refuses a service that does not exist with NotFound', () => {
      given().when({ type: 'RetireService', data }).thenThrows(NotFound);
    });
  });

  describe('evolve', () => {
    it('folds a stream into the service state', () => {
      const state = fold(serviceDecider, [
        registered,
        ownedByPayments,
        { type: 'ServiceOwnershipAssigned', data: { serviceId, teamId: 'checkout-team', occurredAt: at } },
        dependsOnDb,
        { type: 'ServiceDependencyAdded', data: { serviceId, dependsOnServiceId: 'search', occurredAt: at } },
        { type: 'ServiceDependencyRemoved', data: { serviceId, dependsOnServiceId: 'orders-db', occurredAt: at } },
        retired,
      ]);
      expect(state).toEqual({
        status: 'retired',
        serviceId,
        name: 'Checkout',
        ownerTeamId: 'checkout-team',
        dependsOn: new Set(['search']),
      });
    });

    it('leaves an unknown service unknown when events arrive before ServiceRegistered', () => {
      expect(fold(serviceDecider, [ownedByPayments])).toEqual({ status: 'unknown' });
    });
  });
});
