/// Every projection Vigil keeps, in the order the runner folds them.
public enum ProjectionCatalog {
    /// All projections.
    public static var all: [any Projection.Type] {
        [CasesProjection.self, RosterProjection.self, ArrestsProjection.self, TrainingProjection.self]
    }
}
