/** Extends leases to now + ARGV[5] ms; from ARGV[6], pairs of id and token. Returns the ids whose lease was lost. */
export const RENEW = `
local untilMs = NOW + tonumber(ARGV[5])
local lost, kept = {}, {}
for i = 6, #ARGV, 2 do
  local id, token = ARGV[i], ARGV[i + 1]
  if token ~= '' and redis.call('HGET', kTask(id), 't') == token then
    kept[#kept + 1] = untilMs
    kept[#kept + 1] = id
  else
    lost[#lost + 1] = id
  end
end
if #kept > 0 then
  for i = 1, #kept, CHUNK do
    redis.call('ZADD', K_LEASES, 'XX', unpack(kept, i, math.min(i + CHUNK - 1, #kept)))
  end
end
return lost
`;
