import { TaskArgsNotSerializableError } from '../../errors/task-args-not-serializable.error.js';
import type { TaskQueueLogger } from '../../interfaces/task-queue-logger.interface.js';
import type { NewTask, TaskError, TaskRecord } from '../../interfaces/task-record.interface.js';
import { storableError, storableResult } from '../shared/json-report.sanitizer.js';
import { InMemoryMessages } from './in-memory.messages.js';

/**
 * How the in-memory store keeps args and metadata. 'structured' (the default): a structured clone taken at
 * `schedule()`, so the caller's later changes do not reach the task. 'json': what Redis and PostgreSQL keep, a
 * JSON round trip after the same checks (`schedule()` refuses what they refuse), results and errors as they
 * store them too: a test on the in-memory store then fails where the app would on a durable one.
 */
export type InMemorySerialization = 'structured' | 'json';

/**
 * The task as the store keeps it: its data copied, so that nothing the caller still holds is shared. `inPlace`:
 * into the task itself, for the engine's own tasks (built for this add, used by nothing else but its events).
 */
export function keptTask(task: NewTask, mode: InMemorySerialization, inPlace = false): NewTask {
  const copy: (value: unknown, what: string) => unknown = mode === 'json' ? jsonCopy : structuredCopy;
  const args = copy(task.args, 'args');
  const metadata = task.metadata === undefined ? undefined : copy(task.metadata, 'metadata');
  // A durable store keeps a strategy as its JSON (a built-in's descriptor), which the worker revives.
  const retryStrategy = mode === 'json' ? jsonCopy(task.retryStrategy) : task.retryStrategy;
  if (args === task.args && metadata === task.metadata && retryStrategy === task.retryStrategy) return task;
  if (inPlace) {
    task.args = args;
    task.metadata = metadata as NewTask['metadata'];
    task.retryStrategy = retryStrategy as NewTask['retryStrategy'];
    return task;
  }
  return {
    ...task,
    args,
    metadata: metadata as NewTask['metadata'],
    retryStrategy: retryStrategy as NewTask['retryStrategy'],
  };
}

/**
 * A record as 'json' hands it out: its data parsed afresh for each reader, as a durable store reads it, so a
 * handler that changes its args changes them for its own attempt only.
 */
export function freshRecord(record: TaskRecord): TaskRecord {
  record.args = jsonCopy(record.args);
  if (record.metadata !== undefined) record.metadata = jsonCopy(record.metadata) as TaskRecord['metadata'];
  if (record.result !== undefined) record.result = jsonCopy(record.result);
  if (record.progress !== undefined) record.progress = jsonCopy(record.progress);
  return record;
}

/** A result as 'json' keeps it: as the durable stores do, one they could not keep is dropped with a warning. */
export function keptResult(taskId: string, result: unknown, logger: TaskQueueLogger | undefined): unknown {
  const json = storableResult(taskId, result, logger);
  return json === undefined ? undefined : JSON.parse(json);
}

/** A progress value as the store keeps it: a copy (checked by ctx.progress() for 'json'). */
export function keptProgress(value: unknown, mode: InMemorySerialization): unknown {
  return mode === 'json' ? jsonCopy(value) : structuredCopy(value, 'progress');
}

/** An error as 'json' keeps it: name, message and stack, with what JSON stores do not keep replaced. */
export function keptError(error: TaskError): TaskError {
  return storableError(error);
}

/** `schedule()` has checked the value (assertJsonSafe): the round trip cannot throw. */
function jsonCopy(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

/** Nesting the quick copy follows before it hands the value to structuredClone. */
const QUICK_DEPTH = 64;
/** Returned by the quick copy for what it does not copy itself. */
const NOT_PLAIN = Symbol('not plain');

/**
 * structuredClone's result, for less: plain objects, arrays and primitives (what args are, as a rule) are
 * copied by hand, about ten times faster; anything else (a Date, a Map, a class instance, a cycle, deep
 * nesting) goes to structuredClone whole. What it cannot copy (a function, a symbol) is refused.
 */
function structuredCopy(value: unknown, what: string): unknown {
  if (typeof value !== 'object' || value === null) {
    if (typeof value === 'function' || typeof value === 'symbol') return cloneOrRefuse(value, what);
    return value;
  }
  // One ancestors array for every copy, unless a getter in the value schedules (and so copies) meanwhile.
  const ancestors = copying ? [] : ANCESTORS;
  copying = true;
  let copy: unknown;
  try {
    copy = quickCopy(value, 0, ancestors);
  } finally {
    if (ancestors === ANCESTORS) {
      copying = false;
      // Emptied in place: `length = 0` would drop its backing store, and every copy would allocate one again.
      ANCESTORS.fill(undefined);
    }
  }
  return copy === NOT_PLAIN ? cloneOrRefuse(value, what) : copy;
}

const ANCESTORS: (object | undefined)[] = [];
let copying = false;

function quickCopy(value: unknown, depth: number, ancestors: (object | undefined)[]): unknown {
  if (typeof value !== 'object' || value === null)
    return typeof value === 'function' || typeof value === 'symbol' ? NOT_PLAIN : value;
  if (depth === QUICK_DEPTH) return NOT_PLAIN;
  for (let i = 0; i < depth; i++) if (ancestors[i] === value) return NOT_PLAIN;
  ancestors[depth] = value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = quickCopy(value[i], depth + 1, ancestors);
      if (item === NOT_PLAIN) return NOT_PLAIN;
      out[i] = item;
    }
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return NOT_PLAIN;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = quickCopy((value as Record<string, unknown>)[key], depth + 1, ancestors);
    if (item === NOT_PLAIN) return NOT_PLAIN;
    out[key] = item;
  }
  return out;
}

function cloneOrRefuse(value: unknown, what: string): unknown {
  try {
    return structuredClone(value);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TaskArgsNotSerializableError(InMemoryMessages.notCopyable(what, reason), { cause: error });
  }
}
