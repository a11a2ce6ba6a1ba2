extension MailStore {
    /// Runs `body` for every account, in pages of `pageSize` ordered by id; stops at the first error, `body`'s or
    /// the listing's.
    public func forEachAccount(pageSize: Int = 500, _ body: (Account) async throws -> Void) async throws {
        var after: AccountID?
        repeat {
            let page = try await self.accounts(after: after, limit: pageSize)
            for account in page { try await body(account) }
            after = page.count == pageSize ? page.last?.id : nil
        } while after != nil
    }
}
