import { ADD } from './lua/add.lua.js';
import { CANCEL } from './lua/cancel.lua.js';
import { CLAIM } from './lua/claim.lua.js';
import { LAYOUT } from './lua/layout.lua.js';
import { BY_HANDLER, PURGE, REMOVE, RETRY } from './lua/operators.lua.js';
import { CORE, ENQUEUE, LONG, PARTITION, RECORD, RETENTION, STATE } from './lua/prelude.lua.js';
import { LANE_READS } from './lua/lanes.lua.js';
import {
  DUE_HANDLERS,
  GET_PAUSED,
  HEARTBEAT,
  LIST_WORKERS,
  REMOVE_WORKER,
  SET_PAUSED,
  WORKER_KEYS,
} from './lua/deployments.lua.js';
import { FLOWS, GET_MANY, PROGRESS, WAITING_FOR, WATCH } from './lua/flows.lua.js';
import { BACKLOG, GET, LIST, TRIM } from './lua/read.lua.js';
import {
  ADD_AND_CANCEL,
  RECURRING_ADVANCE,
  RECURRING_GET,
  RECURRING_LIST,
  RECURRING_PUT,
  RECURRING_REMOVE,
  SCHEDULE,
} from './lua/recurring.lua.js';
import { RENEW } from './lua/renew.lua.js';
import { REPORT } from './lua/report.lua.js';
import { RedisScript } from './redis-script.js';

/** What a recurring step needs: the add and cancel scripts' own pieces, then them as functions (recurring.lua.ts). */
const WITH_ADD_AND_CANCEL =
  CORE +
  LONG +
  STATE +
  LANE_READS +
  PARTITION +
  RETENTION +
  ENQUEUE +
  FLOWS +
  WAITING_FOR +
  RECORD +
  SCHEDULE +
  ADD_AND_CANCEL;

/** One Lua script per atomic state change: the shared pieces it uses, then its own body. */
export const RedisScripts = {
  add: new RedisScript('add', CORE + LONG + STATE + LANE_READS + RETENTION + ENQUEUE + FLOWS + ADD),
  claim: new RedisScript('claim', CORE + LONG + STATE + LANE_READS + PARTITION + RETENTION + CLAIM),
  report: new RedisScript('report', CORE + LONG + STATE + PARTITION + RETENTION + ENQUEUE + FLOWS + REPORT),
  renew: new RedisScript('renew', CORE + RENEW),
  cancel: new RedisScript(
    'cancel',
    CORE + LONG + STATE + PARTITION + RETENTION + ENQUEUE + FLOWS + WAITING_FOR + RECORD + CANCEL,
  ),
  trim: new RedisScript('trim', CORE + STATE + RETENTION + TRIM),
  list: new RedisScript('list', CORE + LONG + WAITING_FOR + RECORD + LIST),
  backlog: new RedisScript('backlog', CORE + STATE + BACKLOG),
  layout: new RedisScript('layout', CORE + LAYOUT),
  get: new RedisScript('get', CORE + LONG + WAITING_FOR + RECORD + GET),
  // flows (issue 12)
  watch: new RedisScript('watch', CORE + LONG + WAITING_FOR + RECORD + WATCH),
  progress: new RedisScript('progress', CORE + LONG + PROGRESS),
  getMany: new RedisScript('getMany', CORE + LONG + WAITING_FOR + RECORD + GET_MANY),
  // Operators
  retry: new RedisScript('retry', CORE + LONG + STATE + ENQUEUE + RETRY),
  remove: new RedisScript('remove', CORE + LONG + STATE + PARTITION + RETENTION + ENQUEUE + FLOWS + REMOVE),
  purge: new RedisScript('purge', CORE + STATE + RETENTION + PURGE),
  byHandler: new RedisScript('byHandler', CORE + BY_HANDLER),
  // Deployments (lua/deployments.lua.ts)
  setPaused: new RedisScript('setPaused', CORE + STATE + SET_PAUSED),
  getPaused: new RedisScript('getPaused', CORE + STATE + GET_PAUSED),
  heartbeat: new RedisScript('heartbeat', CORE + WORKER_KEYS + HEARTBEAT),
  removeWorker: new RedisScript('removeWorker', CORE + WORKER_KEYS + REMOVE_WORKER),
  listWorkers: new RedisScript('listWorkers', CORE + WORKER_KEYS + LIST_WORKERS),
  dueHandlers: new RedisScript('dueHandlers', CORE + STATE + LANE_READS + DUE_HANDLERS),
  // Recurring schedules (lua/recurring.lua.ts)
  recurringPut: new RedisScript('recurringPut', CORE + SCHEDULE + RECURRING_PUT),
  recurringGet: new RedisScript('recurringGet', CORE + SCHEDULE + RECURRING_GET),
  recurringList: new RedisScript('recurringList', CORE + SCHEDULE + RECURRING_LIST),
  recurringRemove: new RedisScript('recurringRemove', WITH_ADD_AND_CANCEL + RECURRING_REMOVE),
  recurringAdvance: new RedisScript('recurringAdvance', WITH_ADD_AND_CANCEL + RECURRING_ADVANCE),
} as const;
