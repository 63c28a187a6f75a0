//===- Instrument.cpp - The qa-instrument pass ----------------------------===//
//
// Marks every tensor calibration observes with qa.observe.
//
//===----------------------------------------------------------------------===//

#include "quantaware/Calibration/Instrument.h"
#include "quantaware/Dialect/QA/Transforms/Passes.h"

namespace mlir::qa {
#define GEN_PASS_DEF_QAINSTRUMENT
#include "quantaware/Dialect/QA/Transforms/Passes.h.inc"
} // namespace mlir::qa

using namespace mlir;
using namespace mlir::qa;

namespace {
struct QAInstrument final : qa::impl::QAInstrumentBase<QAInstrument> {
  using Base::Base;
  void runOnOperation() override {
    func::FuncOp function = getOperation();
    if (function.isExternal())
      return;
    insertObserves(collectObservedTensors(function));
  }
};
} // namespace
