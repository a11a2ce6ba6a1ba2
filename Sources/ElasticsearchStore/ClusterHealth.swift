/// The part of `GET _cluster/health` that says whether the cluster can serve.
struct ClusterHealth: Decodable {
    var clusterName: String?
    /// `green`, `yellow` or `red`.
    var status: String
    /// The wait for the asked status ran out.
    var timedOut: Bool

    private enum CodingKeys: String, CodingKey {
        case clusterName = "cluster_name"
        case status
        case timedOut = "timed_out"
    }
}
