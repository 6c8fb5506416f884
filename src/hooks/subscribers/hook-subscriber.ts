import type { HookType } from '../../events/entities/hook.entity';
import type { HookMessage } from '../hook-message';

/** A consumer of hooks. Its name is stored with each delivery and shown to admins: never a secret. */
export interface HookSubscriber {
  readonly name: string;
  /** The hook types it receives; deliveries are made only for these. */
  readonly types: readonly HookType[];
  /**
   * Resolves once the subscriber has accepted the hook; rejects with a `DeliveryError` (or any
   * error) otherwise. `signal` aborts when the attempt's time (HOOK_DELIVERY_TIMEOUT) is up.
   */
  deliver(message: HookMessage, body: string, signal: AbortSignal): Promise<void>;
  close?(): Promise<void>;
}

/** A failed attempt, with a reason safe to store and show: a status, a network error code, never a body or a secret. */
export class DeliveryError extends Error {}

/** Rejects with a timeout `DeliveryError` when `signal` aborts, for work that cannot itself be cancelled. */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new DeliveryError(`${what} took longer than the delivery timeout`));
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
