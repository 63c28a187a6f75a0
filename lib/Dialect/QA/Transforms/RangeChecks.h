//===- RangeChecks.h - Calibrated against proven ranges ---------*- C++ -*-===//
//
// The one warning qa-propagate-ranges and qa-calibrate give when observed
// data leaves a proven range: the samples violate the declared input ranges,
// or the model is not what it claims.
//
//===----------------------------------------------------------------------===//

#ifndef LIB_DIALECT_QA_TRANSFORMS_RANGECHECKS_H
#define LIB_DIALECT_QA_TRANSFORMS_RANGECHECKS_H

#include "mlir/IR/Operation.h"

namespace mlir::qa {

/// Warns at `op` when [lo, hi], calibrated for `what` ("result #0",
/// "argument #1"), is not inside the proven [provenLo, provenHi].
inline void warnIfOutsideProven(Operation *op, const Twine &what, double lo,
                                double hi, double provenLo, double provenHi) {
  if (provenLo <= lo && hi <= provenHi)
    return;
  op->emitWarning() << "calibrated range [" << lo << ", " << hi << "] of "
                    << what << " is not inside its proven range [" << provenLo
                    << ", " << provenHi << "]";
}

} // namespace mlir::qa

#endif // LIB_DIALECT_QA_TRANSFORMS_RANGECHECKS_H
