/** The key layout this code writes (prelude.lua.ts). Bump it whenever a key or field changes meaning. */
export const LAYOUT_VERSION = '3';

/**
 * Claims prefix B for layout ARGV[5], or reads the layout it already has: returns the version its keys are in
 * ('1' for keys written before the layout was recorded, which had no B layout key).
 */
export const LAYOUT = `
local found = redis.call('GET', B .. 'layout')
if found then return found end
if redis.call('EXISTS', K_COUNTS, B .. 'all', B .. 'seq') > 0 then return '1' end
redis.call('SET', B .. 'layout', ARGV[5])
return ARGV[5]
`;
