/// Why a message could not be read or written.
public enum MIMEError: Error, Equatable, CustomStringConvertible {
    /// The message is larger than ``MIMELimits/maximumSize``.
    case tooLarge(size: Int, limit: Int)
    /// The message has more parts than ``MIMELimits/maximumParts``.
    case tooManyParts(limit: Int)
    /// Multipart containers nest deeper than ``MIMELimits/maximumDepth``.
    case tooDeep(limit: Int)
    /// A header value or address to write holds a line break (CR or LF) or NUL, which would start a header of its
    /// own (header injection): the field's name.
    case lineBreakInHeader(field: String)
    /// An address that cannot be written: the address.
    case invalidAddress(String)
    /// A structured header value (Message-ID, References, Date) that is not printable ASCII: the field's name.
    case invalidHeaderValue(field: String)
    /// A header name that is not one (empty, or with characters other than printable ASCII without `:`).
    case invalidHeaderName(String)

    public var description: String {
        switch self {
        case .tooLarge(let size, let limit): "the message of \(size) bytes is larger than the \(limit) bytes read"
        case .tooManyParts(let limit): "the message has more than \(limit) parts"
        case .tooDeep(let limit): "the message's parts nest deeper than \(limit) levels"
        case .lineBreakInHeader(let field): "the \(field) header holds a line break or NUL, which would inject headers: refused"
        case .invalidAddress(let address): "cannot write the address \"\(address)\": it needs local@domain in printable ASCII"
        case .invalidHeaderValue(let field): "the \(field) header must be printable ASCII"
        case .invalidHeaderName(let name): "\"\(name)\" is not a header name"
        }
    }
}
