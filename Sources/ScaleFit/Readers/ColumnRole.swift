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
    /// loss the validation names come first, then a plain `loss`, then training losses;
    /// `ColumnMapping` also takes any other name that reads as a loss (`isLossName`).
    public var candidateNames: [String] {
        switch self {
        case .step:
            return ["step", "globalstep", "iter", "iteration", "steps", "iterations", "trainer/globalstep",
                    "train/globalstep", "trainer.globalstep", "train.globalstep", "train/step", "train.step",
                    "trainer/step", "numsteps", "optimizerstep"]
        case .loss:
            // Validation first: it is what a scaling law predicts (see `ColumnMapping`).
            return ["valloss", "val/loss", "val.loss", "validloss", "valid/loss", "validationloss",
                    "validation/loss", "evalloss", "eval.loss", "eval/loss", "loss", "trainloss",
                    "train/loss", "train.loss", "trainingloss", "training/loss", "lmloss", "train/lmloss",
                    "testloss", "finalloss"]
        case .lr:
            return ["lr", "learningrate", "train/learningrate", "train/lr", "train.lr", "train.learningrate",
                    "optimizer/lr", "optimizer.lr", "lradamw", "lradam", "lrsgd", "trainer/lr",
                    "trainer/learningrate", "learning.rate", "lr/group0", "lrgroup0", "optim/lr", "opt/lr"]
        case .params:
            return ["params", "n", "nparams", "numparams", "modelsize", "parameters", "nparameters",
                    "numparameters", "size"]
        case .tokens:
            return ["tokens", "d", "ntokens", "numtokens", "datasize", "traintokens", "trainingtokens"]
        case .compute:
            return ["flops", "compute", "c", "trainingflop", "trainingflops", "flop", "computeflops"]
        case .run:
            return ["run", "runname", "name", "model", "runid", "modelname", "experiment"]
        case .family:
            return ["family", "language", "lang", "languagefamily"]
        case .ratio:
            return ["ratio", "p", "samplingratio", "weight", "samplingweight", "proportion", "mix"]
        }
    }

    /// Whether a column called `columnName` holds labels (run names or ids, language
    /// families) whose text must be kept as written: `1` and `1.0`, `007` and `7` are
    /// different runs. True for the names of the `run` and `family` roles.
    public static func isLabel(columnName: String) -> Bool {
        let normalized = normalize(columnName)
        return ColumnRole.run.candidateNames.contains(normalized)
            || ColumnRole.family.candidateNames.contains(normalized)
    }

    /// Whether a column called `columnName` may hold size suffixes (`70M`, `1.3B`): the
    /// names of the `params`, `tokens` and `compute` roles, and any name containing
    /// `param`, `token`, `flop`, `compute` or `size`. A suffix anywhere else is text.
    public static func acceptsSizeSuffix(columnName: String) -> Bool {
        let normalized = normalize(columnName)
        if [ColumnRole.params, .tokens, .compute].contains(where: { $0.candidateNames.contains(normalized) }) {
            return true
        }
        return ["param", "token", "flop", "compute", "size"].contains { normalized.contains($0) }
    }

    /// Whether `columnName` is one of W&B's bookkeeping columns (`_step`, `_runtime`,
    /// `_timestamp`), which are never the step axis when a trainer step column exists.
    public static func isBookkeeping(columnName: String) -> Bool {
        ["_step", "_runtime", "_timestamp"].contains(columnName)
    }

    /// Whether a column name reads as a loss: its last path component (after `/` or `.`),
    /// normalised, ends in `loss` (`eval/c4_en/CrossEntropyLoss`, `lm loss`, `val_loss`), or
    /// holds `loss` and ends in a validation word (Megatron's `lm loss validation`); not a
    /// figure about a loss such as `loss_scale`.
    public static func isLossName(_ columnName: String) -> Bool {
        let last = columnName.split(whereSeparator: { $0 == "/" || $0 == "." }).last.map(String.init) ?? columnName
        let normalized = normalize(last)
        if normalized.hasSuffix("loss") || normalized == "crossentropy" || normalized == "ce" { return true }
        // Megatron-LM's TensorBoard tags: "lm loss validation", "lm loss vs samples".
        return normalized.contains("loss") && validationSuffixes.contains { normalized.hasSuffix($0) }
    }

    private static let validationSuffixes = ["validation", "val", "valid", "eval", "test"]

    /// Whether a column name is that of a validation or evaluation metric (`val/loss`,
    /// `eval_loss`, `validation loss`, `eval/c4_en/CrossEntropyLoss`).
    public static func isValidationName(_ columnName: String) -> Bool {
        let normalized = normalize(columnName)
        return ["val", "valid", "validation", "eval", "evaluation", "test"].contains { prefix in
            normalized.hasPrefix(prefix) || normalized.contains("/" + prefix) || normalized.contains("." + prefix)
        } || (normalized.contains("loss") && validationSuffixes.contains { normalized.hasSuffix($0) })
    }

    /// `name` in the form candidates are written in: lower case without spaces, underscores
    /// or hyphens, so `Model Size`, `model_size` and `model-size` all read `modelsize`.
    public static func normalize(_ name: String) -> String {
        String(name.lowercased().filter { $0 != " " && $0 != "_" && $0 != "-" })
    }
}
