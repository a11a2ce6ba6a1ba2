internal import Foundation

/// The origin (`scheme://host[:port]`) of an http(s) URL, for checking where callbacks may go.
struct CallbackOrigin: Equatable {
    let text: String

    init?(_ urlText: String) {
        guard let components = URLComponents(string: urlText), let scheme = components.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = components.host?.lowercased(), !host.isEmpty
        else { return nil }
        let defaultPort = scheme == "https" ? 443 : 80
        let port = components.port.map { $0 == defaultPort ? "" : ":\($0)" } ?? ""
        self.text = "\(scheme)://\(host)\(port)"
    }
}
