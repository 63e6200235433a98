import { SegmataError } from '../errors.js';
import { parseInstant } from '../definition/operators.js';

/** The evaluation clock. Fixed by `--now` or SEGMATA_NOW for replays and tests. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

export function fixedClock(iso: string, source = '--now'): Clock {
  const ms = parseInstant(iso);
  if (ms === undefined) {
    throw new SegmataError('invalid_argument', `${source}: expected an ISO 8601 date or date-time with zone, got "${iso}"`);
  }
  return () => new Date(ms);
}

/** `--now` wins over SEGMATA_NOW, which wins over the system clock. */
export function clockFrom(now: string | undefined, env: NodeJS.ProcessEnv = process.env): Clock {
  if (now) return fixedClock(now, '--now');
  if (env.SEGMATA_NOW) return fixedClock(env.SEGMATA_NOW, 'SEGMATA_NOW');
  return systemClock;
}
