internal import Metrics
internal import Prometheus

/// The process's metrics: swift-metrics backed by one Prometheus registry, bootstrapped the first time it is used
/// (once per process, as swift-metrics requires; every service in the process reports into it).
enum MailpulseMetrics {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Prometheus names allow letters, digits, `_` and `:`; libraries name metrics like `hb.requests`.
        factory.nameAndLabelSanitizer = { name, labels in
            (Self.sanitized(name), labels.map { (Self.sanitized($0.0), $0.1) })
        }
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    /// `name` with every character Prometheus does not allow replaced by `_`.
    static func sanitized(_ name: String) -> String {
        // Metrics are made per request (the factory finds the existing one): names that need no change, all of
        // ours, are checked byte by byte rather than character by character.
        if name.utf8.allSatisfy(Self.isAllowed) { return name }
        return String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ":") ? $0 : "_" })
    }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "_"), UInt8(ascii: ":"):
            true
        default: false
        }
    }
}
