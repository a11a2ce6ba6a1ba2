internal import Foundation
internal import IMAP

/// The preview of a message whose server offers no PREVIEW (Gmail): read from the first bytes of the body, the first
/// text part of it (plain text first, else HTML without its tags), its transfer encoding and charset undone. Never
/// fails: what it cannot read leaves the preview empty.
enum IMAPTextPreview {
    /// What to fetch: the content headers and the body's first bytes.
    static let items = ["BODY.PEEK[HEADER.FIELDS (CONTENT-TYPE CONTENT-TRANSFER-ENCODING)]", "BODY.PEEK[TEXT]<0.2048>"]
    /// The longest preview, in characters (Outlook's is 255).
    static let length = 255

    /// The preview of what ``items`` fetched; empty when they were not fetched.
    static func preview(of attributes: IMAPMessageAttributes) -> String {
        guard let header = attributes.sections.first(where: { $0.key.hasPrefix("BODY[HEADER") })?.value,
            let text = attributes.sections.first(where: { $0.key.hasPrefix("BODY[TEXT]") })?.value
        else { return "" }
        return Self.preview(header: header, body: text, depth: 0)
    }

    /// The preview of a body under its header (a message's, or a part's).
    static func preview(header: [UInt8], body: [UInt8], depth: Int = 0) -> String {
        let fields = Self.fields(header)
        let (type, parameters) = Self.contentType(fields["content-type"] ?? "text/plain")
        if type.hasPrefix("multipart/") {
            guard depth < 3, let boundary = parameters["boundary"], !boundary.isEmpty else { return "" }
            var html: String?
            for part in Self.parts(body, boundary: boundary) {
                let (partHeader, partBody) = Self.split(part)
                let partType = Self.contentType(Self.fields(partHeader)["content-type"] ?? "text/plain").type
                if partType == "text/plain" || partType.hasPrefix("multipart/") {
                    let text = Self.preview(header: partHeader, body: partBody, depth: depth + 1)
                    if !text.isEmpty { return text }
                } else if partType == "text/html", html == nil {
                    html = Self.preview(header: partHeader, body: partBody, depth: depth + 1)
                }
            }
            return html ?? ""
        }
        guard type == "text/plain" || type == "text/html" else { return "" }
        var text = Self.text(Self.decoded(body, encoding: fields["content-transfer-encoding"] ?? ""), charset: parameters["charset"] ?? "")
        if type == "text/html" { text = Self.withoutTags(text) }
        let words = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return String(words.prefix(Self.length))
    }

    /// Header fields by lowercased name, folded lines unfolded.
    private static func fields(_ header: [UInt8]) -> [String: String] {
        var fields: [String: String] = [:]
        var last: String?
        for line in String(decoding: header, as: UTF8.self).split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\r\n" || $0 == "\n" }) {
            if line.first == " " || line.first == "\t", let name = last {
                fields[name, default: ""] += " " + line.trimmingCharacters(in: .whitespacesAndNewlines)
            } else if let colon = line.firstIndex(of: ":") {
                let name = line[..<colon].trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
                fields[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
                last = name
            }
        }
        return fields
    }

    /// `type/subtype; name=value; …`, the type lowercased, quoted values unquoted.
    private static func contentType(_ value: String) -> (type: String, parameters: [String: String]) {
        let pieces = value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        var parameters: [String: String] = [:]
        for piece in pieces.dropFirst() {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            let name = piece[..<equals].trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            var value = piece[piece.index(after: equals)...].trimmingCharacters(in: .whitespacesAndNewlines)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            parameters[name] = value
        }
        return ((pieces.first ?? "text/plain").lowercased(), parameters)
    }

    /// The parts between `--boundary` lines (the preamble before the first dropped).
    private static func parts(_ body: [UInt8], boundary: String) -> [[UInt8]] {
        let delimiter = Array("--\(boundary)".utf8)
        var parts: [[UInt8]] = []
        var start: Int?
        var index = 0
        while index + delimiter.count <= body.count {
            let atLineStart = index == 0 || body[index - 1] == UInt8(ascii: "\n")
            if atLineStart, body[index..<(index + delimiter.count)].elementsEqual(delimiter) {
                if let start { parts.append(Array(body[start..<index])) }
                index += delimiter.count
                if let newline = body[index...].firstIndex(of: UInt8(ascii: "\n")) { index = newline + 1 } else { index = body.count }
                start = index
                continue
            }
            index += 1
        }
        // The window may end inside the last part: what came of it counts.
        if let start, start < body.count { parts.append(Array(body[start...])) }
        return parts
    }

    /// A part's header and body, split at the first empty line (a part that starts with one has no header).
    private static func split(_ part: [UInt8]) -> ([UInt8], [UInt8]) {
        var lineStart = 0
        for index in part.indices where part[index] == UInt8(ascii: "\n") {
            if part[lineStart..<index].allSatisfy({ $0 == 0x0D }) { return (Array(part[..<lineStart]), Array(part[(index + 1)...])) }
            lineStart = index + 1
        }
        return (part, [])
    }

    /// The body's bytes with its transfer encoding undone (base64 cut at the window's end keeps its whole quads).
    private static func decoded(_ body: [UInt8], encoding: String) -> [UInt8] {
        switch encoding.lowercased() {
        case "base64":
            // Line by line: each line is whole quads (padding ends the last), and the window's last line may be cut.
            var bytes: [UInt8] = []
            for line in body.split(separator: UInt8(ascii: "\n")) {
                let letters = String(decoding: line.filter { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0D) }, as: UTF8.self)
                guard let decoded = Data(base64Encoded: String(letters.prefix(letters.count - letters.count % 4))) else { break }
                bytes += decoded
            }
            return bytes
        case "quoted-printable":
            var bytes: [UInt8] = []
            var index = 0
            while index < body.count {
                let byte = body[index]
                if byte == UInt8(ascii: "="), index + 2 < body.count,
                    let value = UInt8(String(decoding: body[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
                {
                    bytes.append(value)
                    index += 3
                } else if byte == UInt8(ascii: "="), index + 1 < body.count, body[index + 1] == 0x0D || body[index + 1] == 0x0A {
                    // A soft line break.
                    index += body[index + 1] == 0x0D && index + 2 < body.count && body[index + 2] == 0x0A ? 3 : 2
                } else {
                    bytes.append(byte)
                    index += 1
                }
            }
            return bytes
        default:
            return body
        }
    }

    /// Text from bytes in `charset` (UTF-8 and Latin-1 are read as such; others as UTF-8, unreadable bytes replaced).
    private static func text(_ bytes: [UInt8], charset: String) -> String {
        switch charset.lowercased() {
        case "iso-8859-1", "latin1", "windows-1252", "cp1252", "iso-8859-15":
            return String(bytes: bytes, encoding: .isoLatin1) ?? ""
        default:
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// HTML as text: tags, styles and scripts dropped, the common entities read.
    private static func withoutTags(_ html: String) -> String {
        var text = html
        for element in ["style", "script", "head"] {
            while let open = text.range(of: "<\(element)", options: .caseInsensitive),
                let close = text.range(of: "</\(element)>", options: .caseInsensitive, range: open.upperBound..<text.endIndex)
            {
                text.removeSubrange(open.lowerBound..<close.upperBound)
            }
        }
        var result = ""
        var inTag = false
        for character in text {
            if character == "<" {
                inTag = true
                result.append(" ")
            } else if character == ">" {
                inTag = false
            } else if !inTag {
                result.append(character)
            }
        }
        for (entity, character) in [("&nbsp;", " "), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")] {
            result = result.replacingOccurrences(of: entity, with: character)
        }
        return result
    }
}
