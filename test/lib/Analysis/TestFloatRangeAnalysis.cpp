//===- TestFloatRangeAnalysis.cpp - Print the range of every value --------===//
//
// `test-qa-float-ranges` emits a remark with the range of every op result
// and block argument, including loop-carried values that qa-propagate-ranges
// has no attribute for, so lit can check widening and control flow.
//
//===----------------------------------------------------------------------===//

#include "quantaware/Analysis/FloatRangeAnalysis.h"

#include "mlir/Analysis/DataFlowFramework.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;
using namespace mlir::qa;

namespace {

struct TestFloatRangeAnalysis
    : PassWrapper<TestFloatRangeAnalysis, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(TestFloatRangeAnalysis)

  StringRef getArgument() const final { return "test-qa-float-ranges"; }
  StringRef getDescription() const final {
    return "Print the float range of every value as remarks";
  }

  void runOnOperation() override {
    DataFlowSolver solver;
    loadFloatRangeAnalysis(solver);
    if (failed(solver.initializeAndRun(getOperation())))
      return signalPassFailure();

    auto describe = [&](Value value) {
      std::string text;
      llvm::raw_string_ostream os(text);
      getFloatRange(solver, value).print(os);
      return text;
    };
    getOperation().walk([&](Operation *op) {
      for (Region &region : op->getRegions())
        for (Block &block : region)
          for (BlockArgument arg : block.getArguments())
            if (isa<FloatType>(getElementTypeOrSelf(arg.getType())))
              op->emitRemark() << "block argument #" << arg.getArgNumber()
                               << ": " << describe(arg);
      for (OpResult result : op->getResults())
        if (isa<FloatType>(getElementTypeOrSelf(result.getType())))
          op->emitRemark() << "result #" << result.getResultNumber() << ": "
                           << describe(result);
    });
  }
};

} // namespace

namespace mlir::qa::test {
void registerTestFloatRangeAnalysis() {
  PassRegistration<TestFloatRangeAnalysis>();
}
} // namespace mlir::qa::test
