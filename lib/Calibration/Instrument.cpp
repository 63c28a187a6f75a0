//===- Instrument.cpp - Which tensors calibration observes ----------------===//
//
// Collection and naming of observed tensors, and insertion of qa.observe.
//
//===----------------------------------------------------------------------===//

#include "quantaware/Calibration/Instrument.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/StringMap.h"

using namespace mlir;
using namespace mlir::qa;

/// Float tensors with elements (an empty tensor has no statistics).
static bool isFloatTensor(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && isa<FloatType>(tensor.getElementType()) &&
         !(tensor.hasStaticShape() && tensor.getNumElements() == 0);
}

static std::optional<std::string> locationName(Location loc) {
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations())
      if (std::optional<std::string> name = locationName(inner))
        return name;
  return std::nullopt;
}

SmallVector<ObservedTensor>
mlir::qa::collectObservedTensors(func::FuncOp function) {
  SmallVector<ObservedTensor> tensors;
  llvm::StringMap<unsigned> used;
  auto add = [&](Value value, std::string name) {
    // Importers may repeat a name: keep every entry distinct.
    unsigned count = used[name]++;
    if (count)
      name += "#" + std::to_string(count);
    tensors.push_back({value, std::move(name)});
  };

  Block &body = function.getBody().front();
  for (BlockArgument arg : body.getArguments())
    if (isFloatTensor(arg.getType()))
      add(arg, locationName(arg.getLoc())
                   .value_or("arg" + std::to_string(arg.getArgNumber())));

  llvm::StringMap<unsigned> opCounts;
  for (Operation &op : body.without_terminator()) {
    if (op.hasTrait<::mlir::OpTrait::ConstantLike>() ||
        isa<tensor::EmptyOp, ObserveOp>(op) ||
        !llvm::any_of(op.getResultTypes(), isFloatTensor))
      continue;
    std::string base = locationName(op.getLoc())
                           .value_or(op.getName().getStringRef().str() + "_" +
                                     std::to_string(opCounts[op.getName().getStringRef()]++));
    for (OpResult result : op.getResults())
      if (isFloatTensor(result.getType()))
        add(result, op.getNumResults() == 1
                        ? base
                        : base + ":" + std::to_string(result.getResultNumber()));
  }
  return tensors;
}

SmallVector<ObserveOp>
mlir::qa::insertObserves(ArrayRef<ObservedTensor> tensors) {
  SmallVector<ObserveOp> observes;
  for (const ObservedTensor &tensor : tensors) {
    Value value = tensor.value;
    OpBuilder builder(value.getContext());
    if (auto arg = dyn_cast<BlockArgument>(value))
      builder.setInsertionPointToStart(arg.getOwner());
    else
      builder.setInsertionPointAfterValue(value);
    auto observe = ObserveOp::create(builder, value.getLoc(), value.getType(),
                                     tensor.name, value);
    value.replaceAllUsesExcept(observe.getOutput(), observe);
    observes.push_back(observe);
  }
  return observes;
}
