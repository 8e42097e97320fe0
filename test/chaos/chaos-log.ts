import { readFileSync } from 'node:fs';

/** One line of the run log that chaos-recorder.mjs appends in the workers: a handler run starting or ending. */
export interface RunEvent {
  /** `start`; `end` when the handler returned or threw (`ok`); `abort` when its signal fired (timeout, lease lost). */
  e: 'start' | 'end' | 'abort';
  /** The run: its process and a counter of that process. */
  pid: number;
  run: number;
  id: string;
  attempt: number;
  /** Wall clock, ms (one machine: every process reads the same clock). */
  t: number;
  ok?: boolean;
}

/** What the chaos run did to a worker (`pid`) or to the store (an outage): from `from` to `to` (a kill: until its exit was seen). */
export interface Disruption {
  kind: 'kill' | 'pause' | 'outage';
  pid?: number;
  from: number;
  to: number;
}

/** A task the producer scheduled (for certain: its schedule() resolved, or getTask() found it). */
export interface ScheduledTask {
  id: string;
  partition?: number;
  /** Its place in its partition's scheduling order. */
  seq?: number;
}

/** Reads the run log; a line cut short by a kill -9 (the last of a process) is skipped. */
export function readRunLog(file: string): RunEvent[] {
  const events: RunEvent[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line === '') continue;
    try {
      events.push(JSON.parse(line) as RunEvent);
    } catch {
      // a torn last line
    }
  }
  return events;
}
