//===- PropagateRanges.cpp - Attach proven ranges to float values ---------===//
//
// Runs FloatRangeAnalysis and writes its results as `qa.range` attributes,
// with a remark for every op it could not bound and a warning for every
// calibrated range that escapes the proven one.
//
//===----------------------------------------------------------------------===//

#include "quantaware/Analysis/FloatRangeAnalysis.h"
#include "quantaware/Dialect/QA/IR/QAAttrs.h"
#include "quantaware/Dialect/QA/IR/QADialect.h"
#include "quantaware/Dialect/QA/Transforms/Passes.h"

#include "RangeChecks.h"

#include "mlir/Analysis/DataFlowFramework.h"
#include "mlir/IR/TypeUtilities.h"

namespace mlir::qa {
#define GEN_PASS_DEF_QAPROPAGATERANGES
#include "quantaware/Dialect/QA/Transforms/Passes.h.inc"
} // namespace mlir::qa

using namespace mlir;
using namespace mlir::qa;

namespace {

struct QAPropagateRanges final
    : qa::impl::QAPropagateRangesBase<QAPropagateRanges> {
  using Base::Base;
  void runOnOperation() override;
};

} // namespace

static bool isFloatLike(Type type) {
  return isa<FloatType>(getElementTypeOrSelf(type));
}

/// The existing calibrated range of result `index`, if any.
static RangeAttr existingCalibrated(Operation *op, unsigned index) {
  Attribute attr = op->getAttr(QADialect::kRangeAttrName);
  if (auto array = dyn_cast_or_null<ArrayAttr>(attr))
    attr = index < array.size() ? array[index] : Attribute();
  auto range = dyn_cast_or_null<RangeAttr>(attr);
  return range && !range.isProven() ? range : RangeAttr();
}

void QAPropagateRanges::runOnOperation() {
  func::FuncOp function = getOperation();
  DataFlowSolver solver;
  FloatRangeAnalysis *analysis = loadFloatRangeAnalysis(solver);
  if (failed(solver.initializeAndRun(function)))
    return signalPassFailure();

  for (Operation *op : analysis->getUnsupportedOps())
    op->emitRemark() << "no range transfer function for '" << op->getName()
                     << "': its results, and everything computed from them, "
                        "are unbounded";

  MLIRContext *context = &getContext();
  function.walk([&](Operation *op) {
    if (op->getNumResults() == 0 || !llvm::all_of(op->getResultTypes(), isFloatLike))
      return;
    SmallVector<Attribute> ranges;
    for (auto [index, result] : llvm::enumerate(op->getResults())) {
      FloatRange range = getFloatRange(solver, result);
      if (range.isUninitialized())
        return; // Not reached (dead code, or a body evaluated by its op).
      const FloatInterval &interval = range.getInterval();
      RangeAttr calibrated = existingCalibrated(op, index);
      if (calibrated && range.isProven() && interval.isBounded())
        warnIfOutsideProven(op, "result #" + Twine(index), calibrated.getLo(),
                            calibrated.getHi(), interval.lo(), interval.hi());
      // A calibrated range is what chooses scales: keep it. Otherwise record
      // the bound, unless there is none to record.
      if (calibrated) {
        ranges.push_back(calibrated);
        continue;
      }
      if (!interval.isBounded())
        return;
      ranges.push_back(RangeAttr::get(context, interval.lo(), interval.hi(),
                                      range.isProven() ? RangeKind::Proven
                                                       : RangeKind::Calibrated));
    }
    op->setAttr(QADialect::kRangeAttrName,
                ranges.size() == 1 ? ranges.front()
                                   : ArrayAttr::get(context, ranges));
  });
}
