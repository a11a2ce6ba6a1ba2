extension String {
    /// The words a search text is matched by: runs of letters and digits (so `grace@navy.mil` is three words), at
    /// most 16. Every store matches each word, the last one as a prefix, and takes nothing as query syntax.
    public var searchWords: [String] {
        self.split { !$0.isLetter && !$0.isNumber }.prefix(16).map(String.init)
    }
}
