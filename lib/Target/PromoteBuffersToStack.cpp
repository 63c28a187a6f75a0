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
/// of the buffer itself.
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
      if (isa<func::ReturnOp, CallOpInterface, BranchOpInterface,
              RegionBranchTerminatorOpInterface, arith::SelectOp>(user) ||
          user->getDialect()->getNamespace() == "bufferization")
        return std::nullopt;
      auto view = dyn_cast<ViewLikeOpInterface>(user);
      if (view && view.getViewSource() == views[i])
        views.append(user->result_begin(), user->result_end());
      else if (isa<memref::CastOp>(user))
        views.push_back(user->getResult(0));
    }
  }
  return views;
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
    int64_t budget = maxBytes;
    // Only the entry block's own allocations: one per call.
    for (auto alloc :
         llvm::make_early_inc_range(entry.getOps<memref::AllocOp>())) {
      MemRefType type = alloc.getType();
      if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
          !type.getElementType().isIntOrIndexOrFloat())
        continue;
      int64_t bytes = type.getNumElements() *
                      llvm::divideCeil(type.getElementTypeBitWidth(), 8);
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
