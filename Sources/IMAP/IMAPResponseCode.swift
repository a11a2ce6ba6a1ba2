/// The bracketed code of a status response (RFC 3501 §7.1, RFC 7162, RFC 4315), the ones sync reads by name.
public enum IMAPResponseCode: Sendable, Equatable {
    case uidValidity(UInt32)
    case uidNext(UInt32)
    case highestModSequence(UInt64)
    case noModSequence
    case capability([String])
    case permanentFlags([String])
    case readOnly
    case readWrite
    case alert
    /// `[COPYUID uidvalidity source-uids destination-uids]` (a MOVE or COPY).
    case copyUID(uidValidity: UInt32, source: UIDSet, destination: UIDSet)
    /// `[APPENDUID uidvalidity uid]`.
    case appendUID(uidValidity: UInt32, uid: UInt32)
    /// `AUTHENTICATIONFAILED`, `UNAVAILABLE`, `CLOSED`, …: the atom, uppercased, and what followed it.
    case other(String, String)
}
