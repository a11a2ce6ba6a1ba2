internal import Redis

/// The Lua scripts of the subscription directory.
enum SubscriptionScripts {
    /// KEYS the subscription hashes. Answers, per key, {account, secret} (nils when the subscription is unknown): a
    /// delivery's notifications are checked in one round trip.
    static let lookup = RedisScript(
        """
        local rows = {}
        for i, key in ipairs(KEYS) do
            rows[i] = redis.call('HMGET', key, 'account', 'secret')
        end
        return rows
        """
    )
}
