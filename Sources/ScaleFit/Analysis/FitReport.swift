import Foundation

/// What a report shows of any fit, in one value for every law: the law and its objective,
/// the parameters as reported with their standard errors, the search and the solver, goodness
/// of fit, the diagnostics (a report of an unsound fit says so first), and every observation's
/// residual. The CLI renders it as a table, Markdown, CSV or JSON, and `--report` writes it.
public struct FitReport: Sendable, Codable, Equatable {
    /// One observation against the law: residual = fitted − observed, relative = residual / observed.
    public struct Residual: Sendable, Codable, Equatable {
        /// The run's name, `line K`, or `run@step` for a logged loss.
        public var label: String
        /// The observed loss (or y).
        public var observed: Double
        /// The law's value there.
        public var fitted: Double
        /// fitted − observed.
        public var residual: Double
        /// (fitted − observed) / observed.
        public var relativeResidual: Double
    }

    /// The law's identifier.
    public var law: String
    /// The law in one line, with its options.
    public var formula: String
    /// The objective's loss, as a spec (`huber:0.001`, `l2`).
    public var loss: String
    /// The parameters as reported (`Fit.estimates`), with standard errors.
    public var parameters: [ParameterEstimate]
    /// ½·Σρ(rᵢ²) at the optimum.
    public var objective: Double
    /// The data file, the observations fitted and the rows dropped.
    public var file: String
    /// The observations fitted.
    public var rows: Int
    /// The rows of the file that could not be used.
    public var droppedRows: Int
    /// The search: starts in the grid, ends polished, polished runs converged.
    public var startsTried: Int
    /// Screening ends run on to convergence.
    public var startsPolished: Int
    /// Polished runs that converged.
    public var startsConverged: Int
    /// Whether the winning run met a convergence test, and the solver's words for why it stopped.
    public var converged: Bool
    /// Why the solver stopped, in its words.
    public var solverMessage: String
    /// RMSE, mean relative error and R² of fitted against observed.
    public var goodness: GoodnessOfFit?
    /// `FitDiagnostic` descriptions; empty for a sound fit.
    public var diagnostics: [String]
    /// Every observation against the law.
    public var residuals: [Residual]

    /// True when the solver converged and nothing was diagnosed.
    public var isSound: Bool { converged && diagnostics.isEmpty }

    /// The report of `fit`, made to `data` (the observations it was fitted to).
    public init<L: Law>(_ fit: Fit<L>, data: L.Observations) {
        law = L.identifier
        formula = fit.law.formula
        loss = fit.law.loss.spec
        parameters = fit.estimates
        objective = fit.objective
        file = fit.data.file
        rows = fit.data.rows
        droppedRows = fit.data.droppedRows
        startsTried = fit.search.startsTried
        startsPolished = fit.search.startsPolished
        startsConverged = fit.search.startsConverged
        converged = fit.summary?.converged ?? true
        solverMessage = fit.summary?.message ?? "read from a fit file"
        goodness = fit.goodness
        diagnostics = fit.diagnostics.map(\.description)
        let observed = data.observed, labels = data.labels
        let fitted = fit.law.fitted(data, parameters: fit.parameters)
        residuals = observed.indices.map { i in
            let f = i < fitted.count ? fitted[i] : .nan
            return Residual(label: i < labels.count ? labels[i] : "\(i + 1)", observed: observed[i], fitted: f,
                            residual: f - observed[i], relativeResidual: (f - observed[i]) / observed[i])
        }
    }
}
