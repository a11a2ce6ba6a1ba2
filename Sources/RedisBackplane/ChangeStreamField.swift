/// The fields of a notification's stream entry, one letter each (the stream holds many): the one spelling of them,
/// used by the Swift that writes and reads entries and spliced into the enqueue script.
enum ChangeStreamField: String {
    case account = "a"
    case subscription = "s"
    case kind = "k"
    case message = "m"
    case mailbox = "f"
    case changeKey = "e"
}
