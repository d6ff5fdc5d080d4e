/// What a column means to a law: the roles scalefit recognises by column name.
public enum ColumnRole: String, CaseIterable, Sendable, Codable {
    /// The training step (iteration) of a log row.
    case step
    /// The loss to fit.
    case loss
    /// The learning rate at that step.
    case lr
    /// The model size N, in parameters.
    case params
    /// The training data size D, in tokens.
    case tokens
    /// The training compute C, in FLOPs.
    case compute
    /// The run a row belongs to (groups rows into curves or runs).
    case run
    /// The language family of a multilingual run.
    case family
    /// The sampling ratio p of a language family in the mix.
    case ratio

    /// Whether the role needs numbers (all but `run` and `family`, which group rows).
    public var isNumeric: Bool { self != .run && self != .family }

    /// The column names that take this role, in order of preference, in the normalised form
    /// of `ColumnRole.normalize` (lower case, no spaces, underscores or hyphens). For the
    /// loss a plain `loss` comes first, then training and then evaluation losses.
    public var candidateNames: [String] {
        switch self {
        case .step:
            return ["step", "globalstep", "iter", "iteration", "steps", "iterations", "trainer/globalstep",
                    "train/globalstep"]
        case .loss:
            return ["loss", "trainloss", "train/loss", "trainingloss", "valloss", "val/loss", "validloss",
                    "validationloss", "evalloss", "eval.loss", "eval/loss", "testloss", "finalloss"]
        case .lr:
            return ["lr", "learningrate", "train/learningrate", "train/lr", "learning.rate"]
        case .params:
            return ["params", "n", "nparams", "numparams", "modelsize", "parameters", "nparameters",
                    "numparameters", "size"]
        case .tokens:
            return ["tokens", "d", "ntokens", "numtokens", "datasize", "traintokens", "trainingtokens"]
        case .compute:
            return ["flops", "compute", "c", "trainingflop", "trainingflops", "flop", "computeflops"]
        case .run:
            return ["run", "name", "runname", "runid"]
        case .family:
            return ["family", "language", "lang", "languagefamily"]
        case .ratio:
            return ["ratio", "p", "samplingratio", "weight", "samplingweight", "proportion", "mix"]
        }
    }

    /// `name` in the form candidates are written in: lower case without spaces, underscores
    /// or hyphens, so `Model Size`, `model_size` and `model-size` all read `modelsize`.
    public static func normalize(_ name: String) -> String {
        String(name.lowercased().filter { $0 != " " && $0 != "_" && $0 != "-" })
    }
}
