import Synchronization

/// States folded from streams that many commands read but few write (an organization, the theme
/// vocabulary), kept by stream with the history each was folded from. A command deciding on the
/// same history takes the kept state instead of decoding every event again; any other history
/// (the stream moved on, a batch added events to it, a refused batch's events) is folded anew.
final class FoldedStates<State: Sendable>: Sendable {
    private let kept = Mutex<[String: (history: [EventPayload], state: State)]>([:])
    /// The most streams kept; one more drops them all (streams read this way are few).
    private let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    /// `stream`'s state after `history`: the kept one when it was folded from this very history.
    func state(
        of stream: String,
        history: [EventPayload],
        fold: ([EventPayload]) throws(DomainError) -> State
    ) throws(DomainError) -> State {
        if let entry = kept.withLock({ $0[stream] }), entry.history == history { return entry.state }
        let state = try fold(history)
        // An empty history (a stream not written yet) folds for nothing and is not kept.
        guard !history.isEmpty else { return state }
        kept.withLock { kept in
            if kept.count >= limit, kept[stream] == nil { kept.removeAll() }
            kept[stream] = (history, state)
        }
        return state
    }
}

extension FoldedStates<OrganizationState> {
    /// The organizations' folds, for every command of the process.
    static var shared: FoldedStates { organizationStates }
}

extension FoldedStates<ThemeVocabulary> {
    /// The theme vocabulary's fold, for every command of the process.
    static var shared: FoldedStates { vocabularyStates }
}

private let organizationStates = FoldedStates<OrganizationState>(limit: 1_000)
private let vocabularyStates = FoldedStates<ThemeVocabulary>(limit: 1)
