/// One fitted parameter as reports show it: its name, estimate and standard error.
public struct ParameterEstimate: Sendable, Codable, Equatable {
    /// The parameter's name, as reports show it.
    public var name: String
    /// The fitted value, on the scale reports show it.
    public var estimate: Double
    /// Its standard error, on the same scale.
    public var standardError: Double

    /// An estimate `estimate` ± `standardError` of the parameter `name`.
    public init(name: String, estimate: Double, standardError: Double) {
        self.name = name
        self.estimate = estimate
        self.standardError = standardError
    }
}
