/// A multipart body cut into its parts (RFC 2046 §5.1.1).
public enum MIMEMultipart {
    /// The parts between `--boundary` lines, the preamble before the first and the epilogue after `--boundary--`
    /// dropped. A body cut short (a fetch window) or missing its closing line keeps what came of its last part. The
    /// line break before each delimiter belongs to the delimiter.
    public static func parts(_ body: ArraySlice<UInt8>, boundary: String) -> [ArraySlice<UInt8>] {
        let delimiter = Array("--\(boundary)".utf8)
        guard !boundary.isEmpty else { return [] }
        var parts: [ArraySlice<UInt8>] = []
        var start: Int?
        var index = body.startIndex
        while index + delimiter.count <= body.endIndex {
            let atLineStart = index == body.startIndex || body[index - 1] == UInt8(ascii: "\n")
            if atLineStart, body[index] == UInt8(ascii: "-"), body[index..<(index + delimiter.count)].elementsEqual(delimiter) {
                let after = index + delimiter.count
                // `--b` is no delimiter of `--bar`: only white space, `--` or the line's end may follow it.
                let next = after < body.endIndex ? body[after] : UInt8(ascii: "\n")
                guard [UInt8(ascii: "-"), UInt8(ascii: "\r"), UInt8(ascii: "\n"), UInt8(ascii: " "), UInt8(ascii: "\t")].contains(next) else {
                    guard let newline = body[index...].firstIndex(of: UInt8(ascii: "\n")) else { break }
                    index = newline + 1
                    continue
                }
                if let start {
                    var end = index
                    if end > start, body[end - 1] == UInt8(ascii: "\n") { end -= 1 }
                    if end > start, body[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                    parts.append(body[start..<max(start, end)])
                }
                let closing = after + 1 < body.endIndex && body[after] == UInt8(ascii: "-") && body[after + 1] == UInt8(ascii: "-")
                if closing { return parts }
                if let newline = body[after...].firstIndex(of: UInt8(ascii: "\n")) {
                    index = newline + 1
                } else {
                    index = body.endIndex
                }
                start = index
                continue
            }
            // On to the next line: a delimiter only starts one.
            guard let newline = body[index...].firstIndex(of: UInt8(ascii: "\n")) else { break }
            index = newline + 1
        }
        if let start, start < body.endIndex { parts.append(body[start...]) }
        return parts
    }
}
