import { NotFound, RuleViolation, assertNever } from '../errors';
import type {
  EventOf,
  ServiceDependencyAdded,
  ServiceDependencyRemoved,
  ServiceOwnershipAssigned,
  ServiceRegistered,
  ServiceRetired,
} from '../events';
import type { Decider } from './decider';

export type ServiceEvent =
  | EventOf<'ServiceRegistered'>
  | EventOf<'ServiceOwnershipAssigned'>
  | EventOf<'ServiceDependencyAdded'>
  | EventOf<'ServiceDependencyRemoved'>
  | EventOf<'ServiceRetired'>;

export type ServiceCommand =
  | { type: 'RegisterService'; data: ServiceRegistered }
  | { type: 'AssignServiceOwner'; data: ServiceOwnershipAssigned }
  | { type: 'AddServiceDependency'; data: ServiceDependencyAdded }
  | { type: 'RemoveServiceDependency'; data: ServiceDependencyRemoved }
  | { type: 'RetireService'; data: ServiceRetired };

interface ServiceFacts {
  serviceId: string;
  name: string;
  ownerTeamId: string | null;
  dependsOn: ReadonlySet<string>;
}

export type ServiceState =
  | { status: 'unknown' }
  | ({ status: 'active' } & ServiceFacts)
  | ({ status: 'retired' } & ServiceFacts);

function activeService(state: ServiceState, serviceId: string): Extract<ServiceState, { status: 'active' }> {
  if (state.status === 'unknown') throw new NotFound(`Service ${serviceId} does not exist`, { serviceId });
  if (state.status === 'retired') {
    throw new RuleViolation('service.retired', `Service ${serviceId} is retired`, { serviceId });
  }
  return state;
}

export const serviceDecider: Decider<ServiceCommand, ServiceState, ServiceEvent> = {
  initialState: () => ({ status: 'unknown' }),

  decide(command, state) {
    const { serviceId } = command.data;
    switch (command.type) {
      case 'RegisterService':
        if (state.status !== 'unknown') {
          throw new RuleViolation('service.alreadyRegistered', `Service ${serviceId} is already registered`, { serviceId });
        }
        return [{ type: 'ServiceRegistered', data: command.data }];
      case 'AssignServiceOwner': {
        const service = activeService(state, serviceId);
        if (service.ownerTeamId === command.data.teamId) {
          throw new RuleViolation('service.alreadyOwned', `Service ${serviceId} is already owned by team ${command.data.teamId}`, {
            serviceId,
            teamId: command.data.teamId,
          });
        }
        return [{ type: 'ServiceOwnershipAssigned', data: command.data }];
      }
      case 'AddServiceDependency': {
        const service = activeService(state, serviceId);
        const { dependsOnServiceId } = command.data;
        if (dependsOnServiceId === serviceId) {
          throw new RuleViolation('service.dependsOnSelf', `Service ${serviceId} cannot depend on itself`, { serviceId });
        }
        if (service.dependsOn.has(dependsOnServiceId)) {
          throw new RuleViolation('service.dependencyExists', `Service ${serviceId} already depends on ${dependsOnServiceId}`, {
            serviceId,
            dependsOnServiceId,
          });
        }
        return [{ type: 'ServiceDependencyAdded', data: command.data }];
      }
      case 'RemoveServiceDependency': {
        const service = activeService(state, serviceId);
        const { dependsOnServiceId } = command.data;
        if (!service.dependsOn.has(dependsOnServiceId)) {
          throw new RuleViolation('service.noSuchDependency', `Service ${serviceId} does not depend on ${dependsOnServiceId}`, {
            serviceId,
            dependsOnServiceId,
          });
        }
        return [{ type: 'ServiceDependencyRemoved', data: command.data }];
      }
      case 'RetireService':
        activeService(state, serviceId);
        return [{ type: 'ServiceRetired', data: command.data }];
      default:
        return assertNever(command, 'service command');
    }
  },

  evolve(state, event) {
    if (event.type === 'ServiceRegistered') {
      return { status: 'active', serviceId: event.data.serviceId, name: event.data.name, ownerTeamId: null, dependsOn: new Set() };
    }
    if (state.status === 'unknown') return state;
    switch (event.type) {
      case 'ServiceOwnershipAssigned':
        return { ...state, ownerTeamId: event.data.teamId };
      case 'ServiceDependencyAdded':
        return { ...state, dependsOn: new Set([...state.dependsOn, event.data.dependsOnServiceId]) };
      case 'ServiceDependencyRemoved': {
        const dependsOn = new Set(state.dependsOn);
        dependsOn.delete(event.data.dependsOnServiceId);
        return { ...state, dependsOn };
      }
      case 'ServiceRetired':
        return { ...state, status: 'retired' };
      default:
        return assertNever(event, 'service event');
    }
  },
};
