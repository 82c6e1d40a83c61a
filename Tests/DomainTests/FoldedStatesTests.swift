import Testing

@testable import Domain

/// A state folded from a stream's history is kept only for that very history.
@Suite struct FoldedStatesTests {
    /// Counts folds; the state is the number of events folded.
    final class Folder: @unchecked Sendable {
        var folds = 0
        func fold(_ history: [EventPayload]) -> Int {
            folds += 1
            return history.count
        }
    }

    static let registered = EventPayload(
        type: "OrganizationRegistered",
        data: #"{"kind":"cbo","name":"One","schema":1}"#
    )
    static let retired = EventPayload(type: "OrganizationRetired", data: #"{"reason":"merged","schema":1}"#)

    @Test func theSameHistoryIsFoldedOnceAndAnyOtherAgain() throws {
        let kept = FoldedStates<Int>(limit: 2)
        let folder = Folder()
        #expect(try kept.state(of: "org-one", history: [Self.registered], fold: folder.fold) == 1)
        #expect(try kept.state(of: "org-one", history: [Self.registered], fold: folder.fold) == 1)
        #expect(folder.folds == 1, "an equal history, even in another array, takes the kept state")

        #expect(try kept.state(of: "org-one", history: [Self.registered, Self.retired], fold: folder.fold) == 2)
        #expect(folder.folds == 2, "a history that moved on is folded again")
        let other = EventPayload(type: "OrganizationRegistered", data: #"{"kind":"cbo","name":"Two","schema":1}"#)
        #expect(try kept.state(of: "org-one", history: [other, Self.retired], fold: folder.fold) == 2)
        #expect(folder.folds == 3, "as is one of the same length with other events")

        _ = try kept.state(of: "org-two", history: [], fold: folder.fold)
        _ = try kept.state(of: "org-two", history: [], fold: folder.fold)
        #expect(folder.folds == 5, "an empty history is folded each time, not kept")
    }

    @Test func pastItsLimitTheKeptStatesAreDroppedAndFoldedAgain() throws {
        let kept = FoldedStates<Int>(limit: 2)
        let folder = Folder()
        for stream in ["org-a", "org-b", "org-c", "org-a"] {
            #expect(try kept.state(of: stream, history: [Self.registered], fold: folder.fold) == 1)
        }
        #expect(folder.folds == 4, "org-c dropped org-a and org-b")
        _ = try kept.state(of: "org-c", history: [Self.registered], fold: folder.fold)
        #expect(folder.folds == 4, "org-c was kept")
    }
}
