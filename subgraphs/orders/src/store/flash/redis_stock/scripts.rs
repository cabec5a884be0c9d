//! The Lua scripts that make each counter operation one atomic step in
//! Redis. KEYS are a sale's `remaining`, `held`, `version` and `queued`
//! keys (`keys::sale_keys`), then a ticket's hash where one is named.

/// Check the buyer's limit and the remaining units, then take them and
/// queue the order's ticket, in one atomic step. Returns 1 taken, 2 the
/// order holds its units already, 0 the sale has no counters, -1 sold out,
/// -2 over the buyer's limit. ARGV buyer, units, limit, now, TTL, order
/// id, sale id.
pub(super) const TAKE: &str = r#"
local state = redis.call('HGET', KEYS[5], 'state')
if state == 'QUEUED' or state == 'CLAIMED' or state == 'PLACED' then return 2 end
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local remaining = tonumber(redis.call('GET', KEYS[1]))
local quantity = tonumber(ARGV[2])
local held = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
if held + quantity > tonumber(ARGV[3]) then return -2 end
if remaining < quantity then return -1 end
redis.call('DECRBY', KEYS[1], quantity)
redis.call('HINCRBY', KEYS[2], ARGV[1], quantity)
redis.call('INCR', KEYS[3])
redis.call('HSET', KEYS[4], ARGV[6], ARGV[2] .. ':' .. ARGV[4] .. ':' .. ARGV[1])
redis.call('DEL', KEYS[5])
redis.call('HSET', KEYS[5], 'sale', ARGV[7], 'user', ARGV[1], 'qty', ARGV[2], 'at', ARGV[4],
  'state', 'QUEUED')
redis.call('SADD', KEYS[6], ARGV[7])
for i = 1, 6 do redis.call('EXPIRE', KEYS[i], ARGV[5]) end
return 1
"#;

/// Write rebuilt counters only where there are none, so of replicas
/// racing to rebuild a sale one writes and no buyer's take is undone.
/// KEYS remaining, held, version, the deployment's sales; ARGV remaining,
/// TTL, sale id, then buyer/units pairs. Returns 1 when it wrote.
pub(super) const RESTORE: &str = r#"
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2])
for i = 4, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
redis.call('INCR', KEYS[3])
redis.call('SADD', KEYS[4], ARGV[3])
for i = 1, 4 do redis.call('EXPIRE', KEYS[i], ARGV[2]) end
return 1
"#;

/// Claim a ticket for storing its order: KEYS remaining, held, version,
/// queued, ticket; ARGV order id, sale id, then the failed ticket to write
/// if it is lost (buyer, units, at, code, message, TTL). Only a ticket its
/// sale's counters hold (in `queued`) is claimed: one whose counters were
/// lost and rebuilt without it is not counted by them, so it is ended as
/// failed instead; if only its hash was lost, the units `queued` holds for
/// it go back. Returns 1 claimed, 0 settled already (or another sale's),
/// -1 lost (and now failed).
pub(super) const CLAIM: &str = r#"
local state = redis.call('HGET', KEYS[5], 'state')
local sale = redis.call('HGET', KEYS[5], 'sale')
if state == 'PLACED' or state == 'FAILED' or (sale and sale ~= ARGV[2]) then return 0 end
local entry = redis.call('HGET', KEYS[4], ARGV[1])
if state and entry then
  redis.call('HSET', KEYS[5], 'state', 'CLAIMED')
  return 1
end
if entry then
  redis.call('HDEL', KEYS[4], ARGV[1])
  local units, user = string.match(entry, '^(%d+):%d+:(.*)$')
  give_back(user, tonumber(units))
end
redis.call('DEL', KEYS[5])
redis.call('HSET', KEYS[5], 'sale', ARGV[2], 'user', ARGV[3], 'qty', ARGV[4], 'at', ARGV[5],
  'state', 'FAILED', 'code', ARGV[6], 'message', ARGV[7])
redis.call('EXPIRE', KEYS[5], ARGV[8])
return -1
"#;

/// Give a buyer's units back: KEYS remaining, held, version; ARGV buyer,
/// units. Shared by [`CLAIM`] and the two scripts below.
pub(super) const GIVE_BACK_UNITS: &str = r#"
local function give_back(user, quantity)
  if redis.call('EXISTS', KEYS[1]) == 0 then return end
  redis.call('INCRBY', KEYS[1], quantity)
  local held = tonumber(redis.call('HGET', KEYS[2], user) or '0') - quantity
  if held > 0 then redis.call('HSET', KEYS[2], user, held) else redis.call('HDEL', KEYS[2], user) end
  redis.call('INCR', KEYS[3])
end
"#;

pub(super) const GIVE_BACK: &str = r#"
give_back(ARGV[1], tonumber(ARGV[2]))
return 1
"#;

/// End a queued or claimed ticket: ARGV order id, sale id, state, code,
/// message, ticket TTL, and '1' to end it only while queued (an expiry,
/// which must not end a ticket being stored). A failed one gives its units
/// back. Returns 1 when it ended the ticket, 0 when it was not in a state
/// to end (for this sale).
pub(super) const SETTLE: &str = r#"
local state = redis.call('HGET', KEYS[5], 'state')
if state ~= 'QUEUED' and (ARGV[7] == '1' or state ~= 'CLAIMED') then return 0 end
if redis.call('HGET', KEYS[5], 'sale') ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[4], ARGV[1])
redis.call('HSET', KEYS[5], 'state', ARGV[3], 'code', ARGV[4], 'message', ARGV[5])
redis.call('EXPIRE', KEYS[5], ARGV[6])
if ARGV[3] == 'FAILED' then
  give_back(redis.call('HGET', KEYS[5], 'user'), tonumber(redis.call('HGET', KEYS[5], 'qty')))
end
redis.call('INCR', KEYS[3])
return 1
"#;

/// Overwrite remaining and held unless the counters changed since they
/// were read (ARGV[1], the version then). ARGV[2] remaining, ARGV[3] TTL,
/// then buyer/units pairs. Returns 1 when it wrote.
pub(super) const RESET: &str = r#"
if (redis.call('GET', KEYS[3]) or '0') ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('DEL', KEYS[2])
for i = 4, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
redis.call('INCR', KEYS[3])
for i = 1, 3 do redis.call('EXPIRE', KEYS[i], ARGV[3]) end
return 1
"#;
