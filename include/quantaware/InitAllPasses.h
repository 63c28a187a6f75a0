//===- InitAllPasses.h - Register QuantAware's passes -----------*- C++ -*-===//
//
// The one list of passes every front door registers: the project's passes
// and pipelines, and the upstream passes its pipelines and tests use.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTAWARE_INITALLPASSES_H
#define QUANTAWARE_INITALLPASSES_H

namespace mlir::qa {

/// Registers QuantAware's passes and the upstream passes it builds on with
/// the global pass registry (idempotent).
void registerAllPasses();

} // namespace mlir::qa

#endif // QUANTAWARE_INITALLPASSES_H
