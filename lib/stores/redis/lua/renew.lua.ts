/** Extends leases to now + ARGV[5] ms; from ARGV[6], pairs of id and token. Returns the ids whose lease was lost. */
export const RENEW = `
local untilMs = NOW + tonumber(ARGV[5])
local lost = {}
for i = 6, #ARGV, 2 do
  local id = ARGV[i]
  if redis.call('HGET', kTask(id), 't') == ARGV[i + 1] then
    redis.call('ZADD', K_LEASES, 'XX', untilMs, id)
  else
    lost[#lost + 1] = id
  end
end
return lost
`;
