import type { NextFunction, Request, Response } from 'express';
import { FieldErrorsException } from './error-response';

/**
 * True when a parsed JSON value nests objects or arrays more than `maxDepth` levels deep.
 * Iterative, and stops at the first branch too deep: `JSON.parse` accepts a million levels
 * that `JSON.stringify` (loggers, jsonb parameters) then cannot write back.
 */
export function exceedsDepth(value: unknown, maxDepth: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth > maxDepth) return true;
    for (const child of Object.values(current)) pending.push([child, depth + 1]);
  }
  return false;
}

export function tooDeep(what: string, maxDepth: number): FieldErrorsException {
  return new FieldErrorsException(`${what} is nested deeper than ${maxDepth} levels`, []);
}

/** Refuses, with 400, a parsed request body nested deeper than `maxDepth`, before any route sees it. */
export function rejectDeepBodies(maxDepth: number) {
  return (req: Request, _res: Response, next: NextFunction) =>
    next(exceedsDepth(req.body, maxDepth) ? tooDeep('the request body', maxDepth) : undefined);
}
