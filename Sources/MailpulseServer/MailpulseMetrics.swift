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

    private static func sanitized(_ name: String) -> String {
        String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ":") ? $0 : "_" })
    }
}
