//===- PromoteBuffersToStack.cpp - Small heap buffers onto the stack ------===//
//
// Upstream's promote-buffers-to-stack needs memref's AllocationOpInterface
// model, whose registration makes buffer-results-to-out-params crash in
// MLIR 22; this pass promotes the buffers the lowering allocates once per
// call, with its own escape check.
//
//===----------------------------------------------------------------------===//

#include "quantaware/Target/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::qa {
#define GEN_PASS_DEF_QAPROMOTEBUFFERSTOSTACK
#include "quantaware/Target/Passes.h.inc"
} // namespace mlir::qa

using namespace mlir;
using namespace mlir::qa;

/// The views of `buffer` (itself included), or nothing where the buffer or
/// a view may outlive the call or be freed other than by a `memref.dealloc`
/// of the buffer itself. Users are taken as they are known: views, which
/// are followed, ops that only read or write through the buffer, and the
/// buffer's own dealloc; anything else that could pass the buffer on (a
/// memref result of an unknown op, a call, a branch, a region's operand or
/// result, a select, a store of the buffer itself, a bufferization op such
/// as a conditional dealloc, an op of no registered dialect) keeps it on
/// the heap.
static std::optional<SmallVector<Value>> localViews(Value buffer) {
  SmallVector<Value> views{buffer};
  for (size_t i = 0; i < views.size(); ++i) {
    for (OpOperand &use : views[i].getUses()) {
      Operation *user = use.getOwner();
      if (isa<memref::DeallocOp>(user)) {
        if (i != 0)
          return std::nullopt;
        continue;
      }
      auto view = dyn_cast<ViewLikeOpInterface>(user);
      if ((view && view.getViewSource() == views[i]) ||
          isa<memref::CastOp, memref::TransposeOp,
              memref::ExtractStridedMetadataOp>(user)) {
        for (Value result : user->getResults())
          if (isa<BaseMemRefType>(result.getType()))
            views.push_back(result);
        continue;
      }
      Dialect *dialect = user->getDialect();
      if (!dialect || dialect->getNamespace() == "bufferization" ||
          isa<func::ReturnOp, CallOpInterface, BranchOpInterface,
              RegionBranchOpInterface, RegionBranchTerminatorOpInterface,
              arith::SelectOp>(user) ||
          llvm::any_of(user->getResultTypes(), llvm::IsaPred<BaseMemRefType>))
        return std::nullopt;
      if (auto store = dyn_cast<memref::StoreOp>(user);
          store && store.getValueToStore() == views[i])
        return std::nullopt;
    }
  }
  return views;
}

/// Bytes of a buffer of `type` (static shape, int or float elements).
static int64_t bytesOf(MemRefType type) {
  return type.getNumElements() *
         llvm::divideCeil(type.getElementTypeBitWidth(), 8);
}

namespace {
struct PromoteBuffersToStack
    : qa::impl::QAPromoteBuffersToStackBase<PromoteBuffersToStack> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp function = getOperation();
    if (function.isExternal())
      return;
    if (maxBytes < 0) {
      function.emitError("qa-promote-buffers-to-stack: max-bytes must not "
                         "be negative");
      return signalPassFailure();
    }
    Block &entry = function.getBody().front();
    // The stack buffers the function has already (the kernels' packed
    // operands) count against the budget.
    int64_t budget = maxBytes;
    function.walk([&](memref::AllocaOp alloca) {
      MemRefType type = alloca.getType();
      if (type.hasStaticShape() && type.getElementType().isIntOrFloat())
        budget -= bytesOf(type);
    });
    // Only the entry block's own allocations: one per call.
    for (auto alloc :
         llvm::make_early_inc_range(entry.getOps<memref::AllocOp>())) {
      MemRefType type = alloc.getType();
      if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
          !type.getElementType().isIntOrFloat())
        continue;
      int64_t bytes = bytesOf(type);
      if (bytes > budget || !localViews(alloc.getResult()))
        continue;
      budget -= bytes;
      OpBuilder builder(&entry, entry.begin());
      auto alloca = memref::AllocaOp::create(builder, alloc.getLoc(), type,
                                             alloc.getAlignmentAttr());
      for (Operation *user :
           llvm::make_early_inc_range(alloc.getResult().getUsers()))
        if (isa<memref::DeallocOp>(user))
          user->erase();
      alloc.replaceAllUsesWith(alloca.getResult());
      alloc.erase();
    }
  }
};
} // namespace
