/// The part of a `_delete_by_query` answer that says whether it finished: any failure means it stopped.
struct DeleteByQueryResponse: Decodable {
    var deleted: Int
    /// Failures of a search or bulk step; the deletion aborted at the first.
    var failures: [FailureDetail]

    struct FailureDetail: Decodable {}
}
