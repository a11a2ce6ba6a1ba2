extension String {
    /// The words a search text is matched by: runs of letters and digits (so `grace@navy.mil` is three words), at
    /// most 16. Every store matches each word, the last one as a prefix, and takes nothing as query syntax.
    public var searchWords: [String] {
        self.searchWords(limit: 16)
    }

    /// The runs of letters and digits, at most `limit` of them: a search text's words, or all the words of a text.
    public func searchWords(limit: Int) -> [String] {
        self.split { !$0.isLetter && !$0.isNumber }.prefix(limit).map(String.init)
    }
}
