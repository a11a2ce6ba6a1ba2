internal import Redis

/// The Lua scripts of the backplane: each decision reads and writes in one atomic step on the server, with the
/// server's clock, so nodes with skewed clocks still share one bucket, one lease set and one lock.
enum BackplaneScripts {
    /// KEYS[1] bucket hash; ARGV capacity, interval in ms, cost. Answers {1, 0} when granted, else {0, wait in ms}.
    static let takeTokens = RedisScript(
        """
        local capacity = tonumber(ARGV[1])
        local interval = tonumber(ARGV[2])
        local cost = tonumber(ARGV[3])
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
        local tokens = tonumber(state[1])
        local at = tonumber(state[2])
        if tokens == nil or at == nil then
            tokens = capacity
            at = now
        end
        tokens = math.min(capacity, tokens + math.max(0, now - at) * capacity / interval)
        local granted = tokens >= cost
        if granted then
            tokens = tokens - cost
        end
        redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', now)
        -- A bucket left alone for one interval is full again, which is what a missing key means.
        redis.call('PEXPIRE', KEYS[1], interval)
        if granted then
            return {1, 0}
        end
        return {0, math.ceil((cost - tokens) * interval / capacity)}
        """
    )

    /// KEYS[1] lease sorted set (holder → expiry); ARGV limit, ttl in ms, holder. Answers 1 when a slot was taken.
    static let acquireLease = RedisScript(
        """
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local ttl = tonumber(ARGV[2])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
            return 0
        end
        redis.call('ZADD', KEYS[1], now + ttl, ARGV[3])
        if redis.call('PTTL', KEYS[1]) < ttl then
            redis.call('PEXPIRE', KEYS[1], ttl)
        end
        return 1
        """
    )

    /// KEYS[1] pause key; ARGV duration in ms. Sets the pause unless a longer one is in force.
    static let pause = RedisScript(
        """
        if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then
            redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
            return 1
        end
        return 0
        """
    )

    /// KEYS[1] lock; ARGV holder, ttl in ms. Answers 1 when the lock was free and is now this holder's, else 0.
    static let lock = RedisScript(
        """
        if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
            return 1
        end
        return 0
        """
    )

    /// KEYS[1] lock; ARGV holder. Deletes the lock only if this holder still has it.
    static let unlock = RedisScript(
        """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
            return redis.call('DEL', KEYS[1])
        end
        return 0
        """
    )

    /// KEYS[1] lock; ARGV holder, ttl in ms. Extends the lock only if this holder still has it.
    static let extendLock = RedisScript(
        """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
            return redis.call('PEXPIRE', KEYS[1], ARGV[2])
        end
        return 0
        """
    )

    /// KEYS[1] due times (sorted set: doorbell → ms), KEYS[2] first rings (hash: doorbell → ms); ARGV settle in ms,
    /// patience in ms, then doorbells. Each becomes due at min(now + settle, first ring + patience).
    static let ringDoorbells = RedisScript(
        """
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local settle = tonumber(ARGV[1])
        local patience = tonumber(ARGV[2])
        for i = 3, #ARGV do
            local first = tonumber(redis.call('HGET', KEYS[2], ARGV[i]))
            if first == nil then
                first = now
                redis.call('HSET', KEYS[2], ARGV[i], now)
            end
            redis.call('ZADD', KEYS[1], math.min(now + settle, first + patience), ARGV[i])
        end
        return #ARGV - 2
        """
    )

    /// KEYS[1] due times, KEYS[2] first rings; ARGV limit. Takes up to `limit` doorbells due by the server's clock.
    static let answerDoorbells = RedisScript(
        """
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
        if #due > 0 then
            redis.call('ZREM', KEYS[1], unpack(due))
            redis.call('HDEL', KEYS[2], unpack(due))
        end
        return due
        """
    )

    /// KEYS[1] the nodes by the time each stops being alive; ARGV member, ttl (ms). Answers the live nodes, sorted.
    static let heartbeat = RedisScript(
        """
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
        local members = redis.call('ZRANGE', KEYS[1], 0, -1)
        table.sort(members)
        return members
        """
    )

    /// KEYS[1] due times, KEYS[2] first rings; ARGV name prefixes. Clears every doorbell whose name starts with one.
    static let silenceDoorbells = RedisScript(
        """
        local cleared = 0
        for _, name in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
            for i = 1, #ARGV do
                if string.sub(name, 1, #ARGV[i]) == ARGV[i] then
                    redis.call('ZREM', KEYS[1], name)
                    redis.call('HDEL', KEYS[2], name)
                    cleared = cleared + 1
                    break
                end
            end
        end
        return cleared
        """
    )

    /// KEYS[1] claim; ARGV value, ttl in ms. Answers the value held, or false (nil) when it stored ARGV[1].
    static let claim = RedisScript(
        """
        local held = redis.call('GET', KEYS[1])
        if held then
            return held
        end
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        return false
        """
    )
}
