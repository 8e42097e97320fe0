import { ADD } from './lua/add.lua.js';
import { CANCEL } from './lua/cancel.lua.js';
import { CLAIM } from './lua/claim.lua.js';
import { PRELUDE } from './lua/prelude.lua.js';
import { BACKLOG, LIST, TRIM } from './lua/read.lua.js';
import { RENEW } from './lua/renew.lua.js';
import { REPORT } from './lua/report.lua.js';
import { RedisScript } from './redis-script.js';

/** One Lua script per atomic state change; each is the shared prelude plus its own body. */
export const RedisScripts = {
  add: new RedisScript('add', PRELUDE + ADD),
  claim: new RedisScript('claim', PRELUDE + CLAIM),
  report: new RedisScript('report', PRELUDE + REPORT),
  renew: new RedisScript('renew', PRELUDE + RENEW),
  cancel: new RedisScript('cancel', PRELUDE + CANCEL),
  trim: new RedisScript('trim', PRELUDE + TRIM),
  list: new RedisScript('list', PRELUDE + LIST),
  backlog: new RedisScript('backlog', PRELUDE + BACKLOG),
} as const;
