// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "scalefit",
    products: [
        // Dynamic, so a single-file script can link it (`-lScaleFit`; README "Use from Swift").
        .library(name: "ScaleFit", type: .dynamic, targets: ["ScaleFit"]),
        .executable(name: "scalefit", targets: ["scalefit"]),
        .executable(name: "scalefit-bench", targets: ["scalefit-bench"]),
    ],
    targets: [
        // The only door to LAPACK: a module map over Debian's lapacke.h.
        .systemLibrary(
            name: "CLapack",
            pkgConfig: "lapacke",
            providers: [.apt(["liblapacke-dev"])]
        ),
        .target(
            name: "ScaleFit",
            dependencies: ["CLapack"]
        ),
        // The commands as a library, so that their tests run in-process.
        .target(name: "ScaleFitCLI", dependencies: ["ScaleFit"]),
        .executableTarget(name: "scalefit", dependencies: ["ScaleFitCLI"]),
        .executableTarget(name: "scalefit-bench", dependencies: ["ScaleFit"]),
        // The golden SVGs and the reader fixtures are read by path (#filePath), not bundled.
        .testTarget(name: "ScaleFitTests", dependencies: ["ScaleFit"], exclude: ["Plot/Golden", "Readers/Fixtures"]),
        .testTarget(name: "ScaleFitCLITests", dependencies: ["ScaleFit", "ScaleFitCLI"]),
    ]
)
