import type { Request } from 'express';

const CLEARED = Symbol('uploadCleared');
type ClearableRequest = Request & { [CLEARED]?: true };

/** Marks an upload that passed the ingest gate's checks (address, token): its body may now be read. */
export function markUploadCleared(req: Request): void {
  (req as ClearableRequest)[CLEARED] = true;
}

export function isUploadCleared(req: Request): boolean {
  return (req as ClearableRequest)[CLEARED] === true;
}
