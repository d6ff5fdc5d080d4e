import Foundation

extension FitFile {
    /// A fit file for a multilingual fit: for each family f, the six log-space parameters
    /// `f.e`, `f.a`, `f.b`, `f.alpha`, `f.beta`, `f.gamma` and their 6F × 6F covariance
    /// (a shared parameter repeats in every family with its one variance). `settings` keeps
    /// `shared` (the shared parameter names, comma-separated) and `fixed` (`family.name`
    /// entries) for the record.
    public init(multilingual fit: MultilingualFit, data: DataSummary) {
        let names = fit.law.families.flatMap { f in MultilingualLaw.familyParameterNames.map { "\(f.name).\($0)" } }
        let values = fit.law.families.indices.flatMap { fit.familyParameters($0) }
        var settings: [String: String] = [:]
        if !fit.options.shared.isEmpty {
            settings["shared"] = fit.options.shared.sorted().map { MultilingualLaw.familyParameterNames[$0] }.joined(separator: ",")
        }
        let fixed = fit.law.families.indices.flatMap { f in
            (0..<6).filter { fit.fixed[fit.index[f][$0]] }.map { "\(fit.law.families[f].name).\(MultilingualLaw.familyParameterNames[$0])" }
        }
        if !fixed.isEmpty { settings["fixed"] = fixed.joined(separator: ",") }
        self.init(law: MultilingualLaw.identifier, formula: MultilingualLaw.formula, parameterNames: names,
                  parameters: values, covariance: fit.covariance, objective: fit.objective,
                  loss: RobustLoss.huber(scale: fit.options.delta).spec,
                  starts: fit.options.starts.count, data: data, variables: ["N", "D", "p"],
                  settings: settings.isEmpty ? nil : settings)
    }

    /// The multilingual law this file holds: families in the order of its parameters.
    /// Throws `invalidData` if the file holds another law or its parameter names are not
    /// six `family.name` entries per family.
    public func multilingual(file: String) throws -> MultilingualLaw {
        guard law == MultilingualLaw.identifier else {
            throw ScaleFitError.invalidData(file: file, reason: "the fit file holds the \(law) law; this needs a multilingual fit")
        }
        let suffixes = MultilingualLaw.familyParameterNames
        guard !parameters.isEmpty, parameters.count % 6 == 0 else {
            throw ScaleFitError.invalidData(file: file, reason: "a multilingual fit file needs six parameters per family, found \(parameters.count)")
        }
        var families: [MultilingualLaw.Family] = []
        for f in 0..<(parameters.count / 6) {
            let first = parameterNames[6 * f]
            guard first.hasSuffix(".e") else {
                throw ScaleFitError.invalidData(file: file, reason: "parameter \(6 * f + 1) is \"\(first)\", expected FAMILY.e")
            }
            let name = String(first.dropLast(2))
            for k in 0..<6 where parameterNames[6 * f + k] != "\(name).\(suffixes[k])" {
                throw ScaleFitError.invalidData(file: file, reason: "parameter \(6 * f + k + 1) is \"\(parameterNames[6 * f + k])\", expected \(name).\(suffixes[k])")
            }
            families.append(MultilingualLaw.Family(name: name, logParameters: Array(parameters[(6 * f)..<(6 * f + 6)])))
        }
        return MultilingualLaw(families: families)
    }

}
