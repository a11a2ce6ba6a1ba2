/// A header section (RFC 5322 §2.2): fields in order, folded lines unfolded, values as sent (encoded words are decoded
/// where a field is read for people, by ``MIMEMessage``).
public struct MIMEHeader: Sendable, Equatable {
    /// The fields in order: the name as sent and the value unfolded, without the space after the colon.
    public var fields: [(name: String, value: String)] {
        self.storage.map { ($0.name, $0.value) }
    }

    private var storage: [Field]

    private struct Field: Sendable, Equatable {
        var name: String
        var value: String
    }

    /// Reads a header from its bytes (up to the empty line, or all of them); lines that are neither fields nor
    /// continuations are skipped, and the text is read as UTF-8 (unreadable bytes replaced).
    public init(_ bytes: some Collection<UInt8>) {
        self.storage = []
        for line in String(decoding: bytes, as: UTF8.self).replacingLineBreaks().split(separator: "\n") {
            if line.first == " " || line.first == "\t" {
                guard !self.storage.isEmpty else { continue }
                let continued = String(String(line).trimmingSpaces)
                let value = self.storage[self.storage.count - 1].value
                self.storage[self.storage.count - 1].value = value.isEmpty ? continued : value + " " + continued
            } else if let colon = line.firstIndex(of: ":") {
                let name = String(line[..<colon]).trimmingSpaces
                guard !name.isEmpty, !name.contains(" ") else { continue }
                self.storage.append(Field(name: String(name), value: String(String(line[line.index(after: colon)...]).trimmingSpaces)))
            }
        }
    }

    /// The value of the first field named `name` (any case).
    public subscript(_ name: String) -> String? {
        let wanted = name.lowercased()
        return self.storage.first { $0.name.lowercased() == wanted }?.value
    }

    /// The values of every field named `name` (any case), in order.
    public func values(_ name: String) -> [String] {
        let wanted = name.lowercased()
        return self.storage.filter { $0.name.lowercased() == wanted }.map(\.value)
    }

    /// A message's or part's bytes cut at the first empty line into header and body; without one, all is header (a
    /// part that starts with an empty line has no header).
    public static func split(_ bytes: ArraySlice<UInt8>) -> (header: ArraySlice<UInt8>, body: ArraySlice<UInt8>) {
        var lineStart = bytes.startIndex
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if bytes[index] == UInt8(ascii: "\n") {
                if bytes[lineStart..<index].allSatisfy({ $0 == 0x0D }) {
                    return (bytes[bytes.startIndex..<lineStart], bytes[(index + 1)...])
                }
                lineStart = index + 1
            }
            index += 1
        }
        return (bytes, bytes[bytes.endIndex...])
    }
}
