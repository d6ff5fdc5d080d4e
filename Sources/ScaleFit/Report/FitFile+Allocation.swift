import Foundation

/// The fit files of Hoffmann's approaches 1 and 2 (`isoflop`, `envelope`): two-stage fits
/// that are not on the `Law` protocol (their second stage is a line through first-stage
/// estimates, not a law of the runs), kept in the same version-2 file.
///
/// ```
/// law               isoflop | envelope
/// parameterNames    ["log_k", "a"]:  N_opt = exp(log_k)·C^a,  D_opt = C/(6·N_opt)
/// covariance        the least-squares covariance of (log_k, a) (zero for two budgets)
/// bootstrap.draws   (log_k, a) of every usable resample; intervals: a, b
/// settings          approach ("1" or "2"), budgets, used, flagged, resampling (isoflop), and the rule:
///                   tolerance (decades, isoflop) or binWidth (decades, envelope)
/// ```
///
/// A reader older than these laws refuses such a file by its law name (`law: unknown law`),
/// and this build reads every earlier file as before.
extension FitFile {
    /// The identifiers of the two allocation fits.
    public static let isoflopLaw = "isoflop", envelopeLaw = "envelope"
    /// The parameter names of an allocation fit file.
    public static let allocationParameterNames = ["log_k", "a"]

    /// The fit file of approach 2.
    public init(isoflop fit: IsoFLOPProfiles, droppedRows: Int) {
        self.init(allocation: fit.law, law: Self.isoflopLaw, bootstrap: fit.bootstrap,
                  data: .init(file: fit.runs.file, rows: fit.runs.count, droppedRows: droppedRows),
                  settings: ["approach": "2", "tolerance": "\(fit.options.binning.tolerance)", "budgets": "\(fit.profiles.count)",
                             "resampling": fit.options.resampling.rawValue,
                             "used": "\(fit.used)", "flagged": "\(fit.flagged)"])
    }

    /// The fit file of approach 1 (`rows`: the logged points read).
    public init(envelope fit: LossEnvelope, rows: Int, droppedRows: Int) {
        self.init(allocation: fit.law, law: Self.envelopeLaw, bootstrap: fit.bootstrap,
                  data: .init(file: fit.data.file, rows: rows, droppedRows: droppedRows),
                  settings: ["approach": "1", "binWidth": "\(fit.options.binWidth)", "budgets": "\(fit.points.count)",
                             "used": "\(fit.used)", "flagged": "\(fit.flagged)", "curves": "\(fit.data.curves.count)"])
    }

    private init(allocation law: AllocationPowerLaw, law identifier: String, bootstrap: AllocationBootstrap?,
                 data: DataSummary, settings: [String: String]) {
        var c = Matrix(rows: 2, columns: 2)
        c[0, 0] = law.covariance[0]; c[1, 0] = law.covariance[1]; c[0, 1] = law.covariance[2]; c[1, 1] = law.covariance[3]
        self.init(law: identifier, formula: "N_opt = k*C^a, D_opt = C/(6*N_opt) (b = 1 - a)",
                  parameterNames: Self.allocationParameterNames, parameters: [law.logCoefficient, law.a], covariance: c,
                  objective: 0.5 * law.residualScatter * law.residualScatter * Double(max(0, law.points - 2)),
                  loss: RobustLoss.l2.spec, starts: 1, data: data, settings: settings)
        self.bootstrap = bootstrap.map { b in
            BootstrapSummary(samples: b.samples, failed: b.failed, seed: b.seed, compute: nil,
                             intervals: b.exponentIntervals, draws: b.draws)
        }
    }

    /// Whether the file holds an allocation fit (approach 1 or 2).
    public var isAllocationFit: Bool { law == Self.isoflopLaw || law == Self.envelopeLaw }

    /// The allocation law an `isoflop` or `envelope` file holds, or `invalidData` naming the law it holds instead.
    public func allocationLaw(file: String) throws -> AllocationPowerLaw {
        guard isAllocationFit else {
            throw ScaleFitError.invalidData(file: file, reason: "the fit file holds the \(law) law; this needs an isoflop or envelope fit")
        }
        return AllocationPowerLaw(logCoefficient: parameters[0], a: parameters[1],
                                  covariance: [covariance[0, 0], covariance[1, 0], covariance[0, 1], covariance[1, 1]],
                                  points: Int(settings?["used"] ?? "") ?? 0)
    }

    /// The bootstrap draws of an allocation fit as `AllocationBootstrap` (nil when it has none).
    public var allocationBootstrap: AllocationBootstrap? {
        guard isAllocationFit, let b = bootstrap, let draws = b.draws else { return nil }
        return AllocationBootstrap(samples: b.samples, failed: b.failed, seed: b.seed, draws: draws)
    }

    /// The checks of an allocation fit file beyond the common ones: its parameter names,
    /// and its counts in `settings` as non-negative integers.
    func validateAllocation(fail: (String, String) -> ScaleFitError) throws {
        guard isAllocationFit else { return }
        guard parameterNames == Self.allocationParameterNames else {
            throw fail("parameterNames", "an \(law) fit file names its parameters log_k, a; found \(parameterNames.joined(separator: ", "))")
        }
        for key in ["budgets", "used", "flagged"] {
            guard let text = settings?[key], let k = Int(text), k >= 0 else {
                throw fail("settings.\(key)", "expected a count ≥ 0, found \(settings?[key].map { "\"\($0)\"" } ?? "nothing")")
            }
        }
    }
}
