//===- quant-opt.cpp - QuantAware optimizer driver ------------------------===//
//
// mlir-opt with QuantAware's dialects and passes: the tool of the lit tests
// and of compiler engineers running single passes.
//
//===----------------------------------------------------------------------===//

#include "quantaware/InitAllDialects.h"
#include "quantaware/InitAllPasses.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

namespace mlir::qa::test {
void registerTestFloatRangeAnalysis();
} // namespace mlir::qa::test

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::qa::registerAllDialects(registry);
  mlir::qa::registerAllPasses();
  mlir::qa::test::registerTestFloatRangeAnalysis();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "QuantAware optimizer driver\n", registry));
}
