import Foundation
import ScaleFit

/// `scalefit fit FILE`: fits a model to a data file and prints the parameters with their
/// uncertainty, the goodness of fit and the residual table.
///
/// Today it reads NIST StRD-format files (`.dat`: the model is chosen by the dataset's name
/// and fitted with its analytic Jacobian); training-log CSV/JSONL with the scaling laws come
/// with the readers and laws.
enum FitCommand {
    static let usage = """
    USAGE: scalefit fit FILE [--law auto|chinchilla|power|kaplan] [--x COLUMNS] [--y LOSS] [--strict]
                             [--loss SPEC] [--compute-budget C] [--format table|json|csv|markdown]
           scalefit fit CURVES --law annealing|multipower [--group RUN] [--x STEP] [--y LOSS]
                             [--schedule SPEC | --schedule RUN=SPEC …] [--warmup linear|none]
                             [--momentum L|fit] [--convention repository|paper] [--residuals] [-o FIT]
           scalefit fit RUNS --law multilingual [--share alpha,beta] [--fix FAMILY.NAME=V,…]
                             [--family COL] [--ratio COL] [--group RUN] [--residuals] [-o FIT.json]
           scalefit fit FILE --formula FORMULA --start NAME=V|LO:HI:STEP,… [--bounds NAME=LO:HI,…]
                             [--x COL,…] [--y COL] [--loss SPEC] [-o FIT.json] [--format …]
           scalefit fit FILE.dat [--start 1|2|all] [--loss SPEC] [--format …]

    Fits a law to FILE and prints the parameters with standard errors, the goodness of fit,
    the solver's summary and the residual table.

    ARGUMENTS:
      FILE                 a table of runs (.csv, .jsonl, trainer_state.json, W&B export) with
                           model size, tokens (or compute) and final loss; a log of loss
                           curves (step, loss, lr, run); or a NIST StRD .dat file

    OPTIONS:
      --law LAW            auto (default: multipower for a file with a step column and no
                           model-size column, else chinchilla); chinchilla: L = E + A/N^alpha +
                           B/D^beta fitted as Hoffmann et al. (Huber on log residuals, 4500
                           starts); power: L = E + A*x^(-alpha) on one column (least squares on
                           log L); kaplan: L = ((Nc/N)^(alphaN/alphaD) + Dc/D)^alphaD (same);
                           annealing (Tissue et al. 2024) or multipower (Luo et al. 2025) for
                           loss curves; see 'scalefit laws'
      --law multilingual   He et al. 2024: per language family L_i = (E_i + A_i/N^alpha_i +
                           B_i/D^beta_i) * p_i^(-gamma_i), one row per (run, family) with
                           params, tokens, family, ratio (p) and loss; each family fitted
                           alone (Huber on log residuals, 72 starts); chosen by auto when
                           the table has family and ratio columns
      --share NAMES        multilingual: parameters common to all families (e.g. alpha,beta),
                           fitted jointly on every family's rows
      --fix F.NAME=V,…     multilingual: hold a parameter (E, A, B, alpha, beta, gamma) of
                           family F, or of every family without "F.", at V
      --family COL, --ratio COL   multilingual: the family and sampling-ratio columns
      --group COL          curves: the column naming each row's run (detected: run, name)
      --schedule SPEC      curves: the LR schedule of every run, or RUN=SPEC for one run
                           (repeatable), e.g. cosine:peak=3e-4,warmup=500,total=20000,final=0.1;
                           without it η comes from the lr column (piecewise linear between
                           logged steps)
      --warmup linear|none curves: the logged lr starts after a linear warmup from 0 (linear)
                           or is held before the first logged step (none, the default)
      --momentum L|fit     annealing: λ of the annealing area (default 0.999) or fit it
      --convention C       multipower: repository (default; the published fits') or paper
      --residuals          curves: print every logged point's residual (with --format csv: only them)
      --x COLUMNS          chinchilla, kaplan: PARAMS,TOKENS; power: the one column x (default:
                           params if present, else tokens, else compute); curves: the step
                           column; with --formula, the columns that are the formula's variables
      --y LOSS             the loss column (detected by name otherwise); with --formula, the
                           observed column the formula is fitted to
      --strict             fail (exit 65) instead of dropping rows with missing values
      --compute-budget C   FLOPs for the compute-optimal allocation (default 5.76e23)
      --formula FORMULA    your own law, e.g. 'E + A*N^-alpha + B*D^-beta': + - * / ^, numbers,
                           pi, exp expm1 log log1p log10 sqrt abs sin cos tan atan atan2(y, x)
                           pow min max; names that are columns are variables (or those --x
                           lists), the others are parameters fitted by least squares (or --loss)
      --start NAME=V,…     with --formula: a start for every parameter; LO:HI:STEP is a grid,
                           and the Cartesian product of grids is fitted from each point, best kept
      --bounds NAME=LO:HI  with --formula: box bounds (either side may be empty or inf)
      --start 1|2|all      .dat only: which starting vector; 'all' keeps the better fit
      --loss SPEC          l2, huber:C, soft_l1:C, cauchy:C or arctan:C (chinchilla: huber:1e-3;
                           power, kaplan: l2)
      --format FORMAT      table (default), json, csv or markdown
      --bootstrap N        tables: N bootstrap resamples of the runs (percentile 95% intervals)
      --seed S             the bootstrap's seed (default 0): same seed, same intervals
      --plot FILE.svg      tables and curves: write the figure (SVG) — loss against N on log axes
                           with the law per D/N and the compute-optimal frontier (and the
                           bootstrap band with --bootstrap), or the loss curves with the law,
                           the residuals and the learning rates
      --report DIR         tables and curves: write fit.json, report.md, parameters.csv,
                           residuals.csv, fit.svg and an index.html showing them together
      -o, --output FILE    tables: save the fit (versioned JSON) for 'predict' and 'optimal'
      -h, --help           show this help
    """

    static func run(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, valueFlags: ["start", "formula", "bounds", "loss", "format", "law", "x", "y", "compute-budget", "output", "bootstrap", "seed", "share", "fix", "family", "ratio"] + CurveFitCommand.valueFlags,
                                 boolFlags: ["strict", "residuals"])
        if args.help { print(usage); return 0 }
        guard args.positionals.count == 1 else {
            throw UsageError(message: args.positionals.isEmpty
                             ? "missing data file\n\n\(usage)" : "expected one data file, found \(args.positionals.count) arguments")
        }
        let path = args.positionals[0]
        let format = args.options["format"] ?? "table"
        guard ["table", "json", "csv", "markdown"].contains(format) else {
            let hint = nearest(format, in: ["table", "json", "csv", "markdown"]).map { "; did you mean '\($0)'?" } ?? ""
            throw UsageError(message: "--format: expected table, json, csv or markdown, found \"\(format)\"\(hint)")
        }
        if args.options["bounds"] != nil && args.options["formula"] == nil {
            throw UsageError(message: "--bounds applies to --formula fits only")
        }
        if args.options["formula"] != nil && path.lowercased().hasSuffix(".dat") {
            throw UsageError(message: "--formula fits a table of runs (.csv, .jsonl, …); a NIST .dat file is fitted with its own model")
        }
        guard path.lowercased().hasSuffix(".dat") else {
            guard FileManager.default.fileExists(atPath: path) else {
                throw ScaleFitError.invalidData(file: path, reason: "no such file")
            }
            return try FitTableCommand.run(path: path, args: args, format: format)
        }
        var options = SolverOptions()
        if let spec = args.options["loss"] { options.loss = try RobustLoss(spec: spec) }

        guard FileManager.default.fileExists(atPath: path) else {
            throw ScaleFitError.invalidData(file: path, reason: "no such file")
        }
        let dataset = try NISTDataset(contentsOf: URL(fileURLWithPath: path))
        let model = try NISTModels.model(for: dataset, file: path)
        let which = args.options["start"] ?? "all"
        let startIndices: [Int]
        switch which {
        case "1": startIndices = [0]
        case "2": startIndices = [1]
        case "all": startIndices = Array(dataset.starts.indices)
        default: throw UsageError(message: "--start: expected 1, 2 or all, found \"\(which)\"")
        }
        let solver = LevenbergMarquardt(options: options)
        var best: (result: SolverResult, start: Int)?
        for k in startIndices where k < dataset.starts.count {
            let r = try model.fit(from: dataset.starts[k], with: solver)
            if best == nil || (r.summary.converged && (!best!.result.summary.converged || r.cost < best!.result.cost)) {
                best = (r, k)
            }
        }
        guard let (result, start) = best else {
            throw ScaleFitError.invalidData(file: path, reason: "the file has no starting values")
        }
        let report = try NISTFitReport(dataset: dataset, result: result, start: start + 1)
        print(render(report, format: format), terminator: "")
        if !result.summary.converged {
            FileHandle.standardError.write(Data("scalefit: \(result.summary.message)\n".utf8))
            return 1
        }
        return 0
    }

    /// The formula line of a NIST model description ("y = …"), or its first line.
    static func modelLine(_ text: String) -> String {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        return lines.first { $0.hasPrefix("y =") || $0.hasPrefix("log[y] =") } ?? lines.first ?? ""
    }

    static func render(_ report: NISTFitReport, format: String) -> String {
        if format == "json" {
            return jsonText(report)
        }
        let style = TextTable.Style(rawValue: format) ?? .table
        let params = TextTable(header: ["parameter", "estimate", "std_error", "rel_error"],
                               rows: report.parameters.map {
                                   [$0.name, formatSignificant($0.estimate, digits: 10),
                                    formatSignificant($0.standardError, digits: 4),
                                    formatSignificant(abs($0.standardError / $0.estimate), digits: 3)]
                               })
        let fit = TextTable(header: ["statistic", "value"], rows: [
            ["observations", "\(report.observations)"],
            ["degrees_of_freedom", "\(report.degreesOfFreedom)"],
            ["residual_sum_of_squares", formatSignificant(report.residualSumOfSquares, digits: 10)],
            ["residual_std_deviation", formatSignificant(report.residualStandardDeviation, digits: 10)],
            ["r_squared", formatSignificant(report.rSquared, digits: 8)],
        ])
        let residuals = TextTable(header: ["row", "x", "observed", "fitted", "residual"],
                                  rows: report.residualTable.map {
                                      ["\($0.row)", $0.inputs.map { formatSignificant($0) }.joined(separator: " "),
                                       formatSignificant($0.observed, digits: 8),
                                       formatSignificant($0.fitted, digits: 8),
                                       formatSignificant($0.residual, digits: 4)]
                                  })
        if style == .csv { return params.render(.csv) }
        let head = style == .markdown ? "## " : ""
        return """
        \(head)\(report.problem): \(modelLine(report.modelText))
        fitted from start \(report.start); \(report.summary.message)
        \(report.summary.effort), cost \(formatSignificant(report.summary.initialCost)) -> \(formatSignificant(report.summary.finalCost, digits: 10))

        \(params.render(style))
        \(fit.render(style))
        \(residuals.render(style))
        """
    }
}
