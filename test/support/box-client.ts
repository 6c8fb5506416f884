import { HISTORY_EVENT_PATH } from '../../src/events/history-event.controller';

/** What the simulated boxes saw. */
export interface BoxRun {
  /** Timestamps of the events the server acknowledged with 200. */
  acknowledged: Set<number>;
  /** Every answer, by HTTP status; 0 stands for a failed connection and 'timeout' for no answer in time. */
  statuses: Map<number | 'timeout', number>;
}

/**
 * Boxes uploading their events one after another, as the firmware does: each event is retried
 * until the server answers 200 (after a failed connection, a timeout or any other status).
 * `baseUrl()` is read at every attempt, so the test may move the server. `run`, when given, is
 * filled as the answers come, so that the test can watch the progress.
 */
export async function runBoxes(options: {
  baseUrl: () => string;
  boxes: number;
  eventsPerBox: number;
  event: (timestamp: number) => Record<string, unknown>;
  firstTimestamp: number;
  requestTimeoutMs?: number;
  retryDelayMs?: number;
  stop?: () => boolean;
  run?: BoxRun;
}): Promise<BoxRun> {
  const run: BoxRun = options.run ?? { acknowledged: new Set(), statuses: new Map() };
  const note = (status: number | 'timeout') => run.statuses.set(status, (run.statuses.get(status) ?? 0) + 1);
  const box = async (index: number) => {
    for (let sequence = 0; sequence < options.eventsPerBox; sequence++) {
      const timestamp = options.firstTimestamp + index * options.eventsPerBox + sequence;
      const body = JSON.stringify(options.event(timestamp));
      for (;;) {
        if (options.stop?.()) return;
        try {
          const response = await fetch(`${options.baseUrl()}${HISTORY_EVENT_PATH}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
            signal: AbortSignal.timeout(options.requestTimeoutMs ?? 15_000),
          });
          await response.arrayBuffer();
          note(response.status);
          if (response.status === 200) {
            run.acknowledged.add(timestamp);
            break;
          }
        } catch (error) {
          note((error as Error).name === 'TimeoutError' ? 'timeout' : 0);
        }
        await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs ?? 50));
      }
    }
  };
  await Promise.all(Array.from({ length: options.boxes }, (_, index) => box(index)));
  return run;
}
