import { methods, type MethodName } from '@owl/rpc/contract';
import type { Handler, Handlers, Session } from '@owl/rpc/server';
import type { EventBus } from '../events/event-bus.ts';

interface TargetParams {
  target?: unknown;
  app?: unknown;
  name?: unknown;
  id?: unknown;
  roost?: unknown;
  spec?: { name?: unknown };
}

/** What the call acts on: an app (also a fleet command's), `all`, a token id or name, a roost. Nothing else leaves the params. */
function targetOf(params: unknown): string | undefined {
  const fields = (params ?? {}) as TargetParams;
  for (const candidate of [fields.target, fields.app, fields.spec?.name, fields.name, fields.id, fields.roost]) {
    if (typeof candidate === 'string') return candidate;
  }
  return undefined;
}

function operatorEventData(method: MethodName, params: unknown, session: Session): Record<string, unknown> {
  // Params are never copied whole: they may carry secrets (env values, tokens).
  const target = targetOf(params);
  return {
    method,
    ...(target === undefined ? {} : { target }),
    subject: session.subject,
    plane: session.plane,
    role: session.role,
    ...(session.remoteAddress ? { remoteAddress: session.remoteAddress } : {}),
  };
}

/**
 * Wraps every method that needs more than the viewer role so each call becomes an `operator`
 * event (who, on which plane, which method) before it runs. Wrapping the handlers rather than
 * one plane's hooks covers every plane that serves them; like RpcServer's onCall hook it runs
 * only for calls that passed the role check and param validation.
 */
export function auditOperatorCalls(events: EventBus, handlers: Handlers): Handlers {
  const wrapped: Record<string, Handler<MethodName>> = { ...handlers };
  for (const method of Object.keys(methods) as MethodName[]) {
    if (methods[method].role === 'viewer') continue;
    const inner = handlers[method] as Handler<MethodName>;
    wrapped[method] = (params, context) => {
      events.emit({ type: 'operator', data: operatorEventData(method, params, context.session) });
      return inner(params, context);
    };
  }
  return wrapped as Handlers;
}
