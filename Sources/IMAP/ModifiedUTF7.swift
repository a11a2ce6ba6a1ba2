internal import Foundation
internal import MIME

/// IMAP's modified UTF-7 for mailbox names (RFC 3501 §5.1.3): printable ASCII stands for itself (`&` as `&-`), any
/// other text is UTF-16 in a base64 whose `/` is `,`, between `&` and `-`.
public enum ModifiedUTF7 {
    /// The name as people read it; `nil` when it is not valid modified UTF-7.
    public static func decode(_ name: String) -> String? {
        var result = ""
        var rest = Substring(name)
        while let ampersand = rest.firstIndex(of: "&") {
            result += rest[..<ampersand]
            rest = rest[rest.index(after: ampersand)...]
            guard let dash = rest.firstIndex(of: "-") else { return nil }
            let encoded = rest[..<dash]
            rest = rest[rest.index(after: dash)...]
            if encoded.isEmpty {
                result += "&"
                continue
            }
            guard let data = Data(unpaddedBase64: encoded.replacingOccurrences(of: ",", with: "/")), data.count % 2 == 0,
                let text = String(data: data, encoding: .utf16BigEndian)
            else { return nil }
            result += text
        }
        return result + rest
    }

    /// The name as a server expects it.
    public static func encode(_ name: String) -> String {
        var result = ""
        var pending: [UInt16] = []
        func flush() {
            guard !pending.isEmpty else { return }
            let bytes = pending.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
            let base64 = Data(bytes).base64EncodedString().replacingOccurrences(of: "/", with: ",").replacingOccurrences(of: "=", with: "")
            result += "&\(base64)-"
            pending = []
        }
        for scalar in name.unicodeScalars {
            if scalar.value >= 0x20 && scalar.value <= 0x7E {
                flush()
                result += scalar == "&" ? "&-" : String(scalar)
            } else {
                pending += Array(String(scalar).utf16)
            }
        }
        flush()
        return result
    }
}
