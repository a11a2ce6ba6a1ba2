internal import Redis

/// The Lua scripts of the change queue and the event log: each one atomic on the server.
enum ChangeQueueScripts {
    /// KEYS[1] stream; ARGV maximum length, coalescing ttl in ms, then seven values per hint: coalescing key (empty:
    /// never coalesced), account, subscription, kind, message id, folder id, change key. A hint is queued only when none
    /// waits under its key: otherwise it joins the waiting one (a deletion wins; differing change keys cancel, since
    /// arrival order says nothing about which is newer). Answers 1 for each hint queued, 0 for each joined.
    static let enqueue = RedisScript(
        """
        local added = {}
        for i = 3, #ARGV, 7 do
            local key, account, subscription, kind, message, mailbox, changeKey =
                ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5], ARGV[i + 6]
            local queue = true
            if key ~= '' then
                local waiting = redis.call('GET', key)
                if waiting then
                    queue = false
                    local separator = string.find(waiting, '|', 1, true)
                    local waitingKind = string.sub(waiting, 1, separator - 1)
                    local waitingKey = string.sub(waiting, separator + 1)
                    if kind == 'deleted' then waitingKind = 'deleted' end
                    if waitingKey ~= changeKey then waitingKey = '' end
                    redis.call('SET', key, waitingKind .. '|' .. waitingKey, 'KEEPTTL')
                else
                    redis.call('SET', key, kind .. '|' .. changeKey, 'PX', ARGV[2])
                end
            end
            if queue then
                redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*',
                    '\(ChangeStreamField.account.rawValue)', account, '\(ChangeStreamField.subscription.rawValue)', subscription,
                    '\(ChangeStreamField.kind.rawValue)', kind, '\(ChangeStreamField.message.rawValue)', message,
                    '\(ChangeStreamField.mailbox.rawValue)', mailbox, '\(ChangeStreamField.changeKey.rawValue)', changeKey)
            end
            added[#added + 1] = queue and 1 or 0
        end
        return added
        """
    )

    /// KEYS[1] stream; ARGV group, then entry ids: acknowledges the entries and deletes them from the stream.
    static let acknowledge = RedisScript(
        """
        local ids = {}
        for i = 2, #ARGV do ids[#ids + 1] = ARGV[i] end
        redis.call('XACK', KEYS[1], ARGV[1], unpack(ids))
        return redis.call('XDEL', KEYS[1], unpack(ids))
        """
    )

    /// KEYS[1] sequence counter, KEYS[2] event log, KEYS[3] the log's size in bytes; ARGV channel, most events kept,
    /// most bytes kept, log ttl in ms, then event objects as JSON. Gives each event the account's next sequence number
    /// and the server's time in ms (`{"seq":n,"at":ms,…}`), appends it to the log and publishes it, then drops the
    /// oldest events until the log is within both bounds. Answers the last sequence number.
    static let publish = RedisScript(
        """
        local seq = 0
        local now = redis.call('TIME')
        local at = string.format('%.0f', tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000))
        local size = tonumber(redis.call('GET', KEYS[3]))
        if size == nil then
            size = 0
            for _, kept in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do size = size + #kept end
        end
        for i = 5, #ARGV do
            seq = redis.call('INCR', KEYS[1])
            local event = '{"seq":' .. seq .. ',"at":' .. at .. ',' .. string.sub(ARGV[i], 2)
            redis.call('RPUSH', KEYS[2], event)
            redis.call('PUBLISH', ARGV[1], event)
            size = size + #event
        end
        local count = redis.call('LLEN', KEYS[2])
        local maxCount = tonumber(ARGV[2])
        local maxBytes = tonumber(ARGV[3])
        while count > 0 and (count > maxCount or size > maxBytes) do
            size = size - #redis.call('LPOP', KEYS[2])
            count = count - 1
        end
        redis.call('SET', KEYS[3], size, 'PX', ARGV[4])
        redis.call('PEXPIRE', KEYS[2], ARGV[4])
        return seq
        """
    )
}
