/// One fitted parameter as reports show it: its name, estimate and standard error.
public struct ParameterEstimate: Sendable, Codable, Equatable {
    public var name: String
    public var estimate: Double
    public var standardError: Double

    public init(name: String, estimate: Double, standardError: Double) {
        self.name = name
        self.estimate = estimate
        self.standardError = standardError
    }
}
