//===- AssignPrecision.cpp - Mixed precision under an error budget --------===//
//
// qa-assign-precision: every layer's candidates are measured alone on the
// samples, the exact solver picks the cheapest assignment whose summed error
// fits the budget, and the whole model quantized that way is measured
// before the choice is written as #qa.precision.
//
//===----------------------------------------------------------------------===//

#include "Measure.h"

#include "quantaware/Calibration/Instrument.h"
#include "quantaware/Calibration/Samples.h"
#include "quantaware/Dialect/QA/IR/QADialect.h"
#include "quantaware/Dialect/QA/IR/QAOps.h"
#include "quantaware/Dialect/QA/Transforms/Passes.h"
#include "quantaware/Precision/Measurement.h"
#include "quantaware/Precision/Solver.h"
#include "quantaware/Target/TargetDescriptor.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#include <cmath>
#include <map>

namespace mlir::qa {
#define GEN_PASS_DEF_QAASSIGNPRECISION
#include "quantaware/Dialect/QA/Transforms/Passes.h.inc"
} // namespace mlir::qa

using namespace mlir;
using namespace mlir::qa;

namespace {

/// A layer whose precision is chosen: a contraction by constant weights.
struct Layer {
  std::string name; // as TensorRunner names its op
  Operation *op;
  int64_t macs = 0, weightCount = 0, channels = 0, depth = 0;
  int64_t inputElements = 0;
  int64_t channelAxis = 0; // of the tosa weights
  bool fullyConnected = false;
  bool takesBinaryInput = false; // fully connected or unpadded conv2d
  /// What per-group weights are blocks of (K of fully-connected weights, C
  /// of convolution filters; 0: none) and its axis in the tosa layout.
  int64_t groupedExtent = 0, groupAxis = 0;
};

/// How a candidate's weight scales are laid out.
enum class WeightLayout {
  PerChannel,
  AsymmetricPerChannel,
  PerTensor,
  PerGroup
};

/// One way to quantize a layer.
struct Candidate {
  unsigned activationBits = 8, weightBits = 8;
  WeightLayout layout = WeightLayout::PerChannel;
  int64_t groupSize = 0;        // per group
  double weightStorageBits = 0; // values, 32-bit scales, zero points
  double cost = 0, error = 0;   // error: output noise power, layer alone

  std::string label() const {
    std::string activation =
        activationBits == 1 ? "a:binary" : "a" + std::to_string(activationBits);
    if (weightBits == 1)
      return activation + " w:binary";
    std::string weights = activation + " w" + std::to_string(weightBits);
    switch (layout) {
    case WeightLayout::PerChannel:
      return weights + " per-channel";
    case WeightLayout::AsymmetricPerChannel:
      return weights + " asymmetric per-channel";
    case WeightLayout::PerTensor:
      return weights + " per-tensor";
    case WeightLayout::PerGroup:
      return weights + " g" + std::to_string(groupSize);
    }
    llvm_unreachable("unknown weight layout");
  }
};

/// The whole model quantized as assigned, measured.
struct Verified {
  ErrorMetrics error;
  double agreement = 0;
  std::optional<double> accuracy;
};

struct QAAssignPrecision final
    : qa::impl::QAAssignPrecisionBase<QAAssignPrecision> {
  using Base::Base;
  void runOnOperation() override;

private:
  LogicalResult checkOptions(ModuleOp module);
  /// Sets the candidates' precisions on the layers of `copy` (choice[i] for
  /// layers[i]), as they are written to the model in the end.
  void applyChoice(func::FuncOp function, ArrayRef<const Layer *> layers,
                   ArrayRef<const Candidate *> choice);
  double costOf(const Layer &layer, const Candidate &candidate) const;

  /// Prices the latency objective; null: the generic cost.
  const TargetDescriptor *target = nullptr;
};

} // namespace

/// The layer `op` heads, if it is one with constant weights that qa-quantize
/// quantizes.
static std::optional<Layer> matchLayer(Operation *op) {
  auto isConstant = [](Value value) {
    Operation *producer = value.getDefiningOp();
    return producer && producer->hasTrait<::mlir::OpTrait::ConstantLike>();
  };
  auto shapeOf = [](Value value) {
    return cast<RankedTensorType>(value.getType()).getShape();
  };
  auto elements = [](Value value) {
    return cast<RankedTensorType>(value.getType()).getNumElements();
  };
  if (!llvm::all_of(op->getOperandTypes(), [](Type type) {
        auto tensor = dyn_cast<RankedTensorType>(type);
        return tensor && tensor.hasStaticShape();
      }))
    return std::nullopt;
  Layer layer;
  layer.op = op;
  if (auto matmul = dyn_cast<tosa::MatMulOp>(op)) {
    if (!isConstant(matmul.getB()) || shapeOf(matmul.getA())[0] != 1)
      return std::nullopt;
    ArrayRef<int64_t> a = shapeOf(matmul.getA()), b = shapeOf(matmul.getB());
    layer.depth = b[1];
    layer.channels = b[2];
    layer.macs = a[1] * b[1] * b[2];
    layer.channelAxis = 2;
    layer.fullyConnected = true;
    layer.takesBinaryInput = true;
    layer.groupedExtent = layer.depth;
    layer.groupAxis = 1;
  } else if (isa<tosa::Conv2DOp, tosa::DepthwiseConv2DOp>(op)) {
    Value weights = op->getOperand(1);
    if (!isConstant(weights))
      return std::nullopt;
    ArrayRef<int64_t> w = shapeOf(weights);
    bool depthwise = isa<tosa::DepthwiseConv2DOp>(op);
    layer.channels = depthwise ? w[2] * w[3] : w[0];
    layer.depth = elements(weights) / layer.channels;
    layer.macs = elements(op->getResult(0)) * layer.depth;
    layer.channelAxis = depthwise ? 2 : 0;
    if (auto conv = dyn_cast<tosa::Conv2DOp>(op)) {
      layer.takesBinaryInput =
          llvm::all_of(conv.getPad(), [](int64_t p) { return p == 0; });
      layer.groupedExtent = w[3];
      layer.groupAxis = 3;
    }
  } else {
    return std::nullopt;
  }
  layer.weightCount = elements(op->getOperand(1));
  layer.inputElements = elements(op->getOperand(0));
  return layer;
}

static PrecisionAttr activationPrecision(MLIRContext *context, unsigned bits) {
  if (bits == 1)
    return PrecisionAttr::get(context, 1, true, true, Granularity::PerTensor,
                              -1, 0, Scheme::Binary);
  return PrecisionAttr::get(context, bits, /*isSigned=*/true,
                            /*symmetric=*/false, Granularity::PerTensor, -1, 0,
                            Scheme::Uniform);
}

static PrecisionAttr weightPrecision(MLIRContext *context, const Layer &layer,
                                     const Candidate &candidate) {
  if (candidate.weightBits == 1)
    return PrecisionAttr::get(context, 1, true, true, Granularity::PerChannel,
                              layer.channelAxis, 0, Scheme::Binary);
  unsigned bits = candidate.weightBits;
  switch (candidate.layout) {
  case WeightLayout::PerChannel:
  case WeightLayout::AsymmetricPerChannel:
    return PrecisionAttr::get(
        context, bits, true,
        /*symmetric=*/candidate.layout == WeightLayout::PerChannel,
        Granularity::PerChannel, layer.channelAxis, 0, Scheme::Uniform);
  case WeightLayout::PerTensor:
    return PrecisionAttr::get(context, bits, true, true, Granularity::PerTensor,
                              -1, 0, Scheme::Uniform);
  case WeightLayout::PerGroup:
    return PrecisionAttr::get(context, bits, true, true, Granularity::PerGroup,
                              layer.groupAxis, candidate.groupSize,
                              Scheme::Uniform);
  }
  llvm_unreachable("unknown weight layout");
}

/// A generic cost per MAC until target descriptors exist: integer MACs run
/// in lanes of at least 8 bits, so narrower operands save nothing but wider
/// ones cost in proportion; binary x binary runs as XNOR + popcount, 8
/// MACs for the price of one 8-bit MAC.
static double costPerMac(unsigned activationBits, unsigned weightBits) {
  if (activationBits == 1 && weightBits == 1)
    return 1.0 / 8;
  return std::max({8u, activationBits, weightBits}) / 8.0;
}

double QAAssignPrecision::costOf(const Layer &layer,
                                 const Candidate &candidate) const {
  if (objective == "latency") {
    if (!target)
      return layer.macs *
             costPerMac(candidate.activationBits, candidate.weightBits);
    const TargetKernel *kernel =
        target->kernelFor(candidate.activationBits, candidate.weightBits);
    return kernel ? layer.macs / kernel->macsPerCycle : INFINITY;
  }
  return candidate.weightStorageBits +
         static_cast<double>(layer.inputElements) * candidate.activationBits;
}

LogicalResult QAAssignPrecision::checkOptions(ModuleOp module) {
  if (objective != "size" && objective != "latency")
    return module.emitError() << "unknown objective '" << objective
                              << "': expected size or latency";
  if (!targetName.empty() && !(target = lookupTargetDescriptor(targetName)))
    return module.emitError()
           << "unknown target '" << targetName
           << "': expected host, x86_64-avx512vnni, x86_64-avx2, "
              "aarch64-dotprod, aarch64-i8mm, aarch64-neon or riscv64-rvv";
  if (minSqnr < 0 && maxAccuracyDrop < 0)
    return module.emitError() << "qa-assign-precision needs a budget: "
                                 "min-sqnr=<dB> and/or "
                                 "max-accuracy-drop=<points> (with labels)";
  if (maxAccuracyDrop >= 0 && labels.empty())
    return module.emitError() << "max-accuracy-drop needs labels=<.npy>";
  for (unsigned bits : weightBits)
    if (!llvm::is_contained({1u, 2u, 4u, 8u, 16u}, bits))
      return module.emitError()
             << "weight-bits: " << bits << " is not 1 (binary), 2, 4, 8 or 16";
  for (unsigned bits : activationBits)
    if (!llvm::is_contained({1u, 2u, 4u, 8u, 16u}, bits))
      return module.emitError() << "activation-bits: " << bits
                                << " is not 1 (binary), 2, 4, 8 or 16";
  for (const std::string &layout : weightLayouts)
    if (layout != "per-channel" && layout != "asymmetric-per-channel" &&
        layout != "per-tensor")
      return module.emitError()
             << "weight-layouts: unknown layout '" << layout
             << "': expected per-channel, asymmetric-per-channel or "
                "per-tensor";
  for (int64_t size : groupSizes)
    if (size < 2)
      return module.emitError()
             << "group-sizes: " << size << " is not a group size of 2 or more";
  return success();
}

/// The op of `function` that TensorRunner named `name`.
static Operation *namedOp(func::FuncOp function, StringRef name) {
  Operation *found = nullptr;
  function.walk([&](Operation *op) {
    if (!found && measuredName(op) == name)
      found = op;
  });
  return found;
}

void QAAssignPrecision::applyChoice(func::FuncOp function,
                                    ArrayRef<const Layer *> layers,
                                    ArrayRef<const Candidate *> choice) {
  MLIRContext *context = function.getContext();
  // A value read by several layers takes the widest activation they chose.
  llvm::DenseMap<Value, unsigned> activation;
  for (auto [layer, candidate] : llvm::zip_equal(layers, choice)) {
    Operation *op = function == layer->op->getParentOfType<func::FuncOp>()
                        ? layer->op
                        : namedOp(function, layer->name);
    setValuePrecision(op->getOperand(1),
                      weightPrecision(context, *layer, *candidate));
    unsigned &bits = activation[op->getOperand(0)];
    bits = std::max(bits, candidate->activationBits);
  }
  for (auto [value, bits] : activation) {
    PrecisionAttr precision = activationPrecision(context, bits);
    setValuePrecision(value, precision);
    // Pooling, reshapes and transposes keep their input's integers: the
    // width is chosen where those are made.
    for (Operation *producer = value.getDefiningOp();
         isa_and_nonnull<tosa::MaxPool2dOp, tosa::AvgPool2dOp, tosa::ReshapeOp,
                         tosa::TransposeOp>(producer);
         producer = producer->getOperand(0).getDefiningOp())
      setValuePrecision(producer->getOperand(0), precision);
  }
}

void QAAssignPrecision::runOnOperation() {
  ModuleOp module = getOperation();
  if (failed(checkOptions(module)))
    return signalPassFailure();
  FailureOr<MeasuredModel> model = loadMeasuredModel(
      module, functionName, samples, labels, "qa-assign-precision");
  if (failed(model))
    return signalPassFailure();
  func::FuncOp function = model->function;
  TensorRunner runner(module, function, model->samples);
  int64_t count = runner.getNumSamples();
  const std::optional<std::vector<int64_t>> &labelValues = model->labels;

  // The layers, named as the runner names their ops.
  std::vector<Layer> layers;
  for (const ObservedTensor &tensor : collectObservedTensors(function))
    if (Operation *op = tensor.value.getDefiningOp())
      if (std::optional<Layer> layer = matchLayer(op)) {
        layer->name = tensor.name;
        layers.push_back(std::move(*layer));
      }
  // Layers sharing weights would have to choose together.
  llvm::DenseMap<Value, Operation *> weightUser;
  for (const Layer &layer : layers)
    if (Operation *other =
            weightUser.try_emplace(layer.op->getOperand(1), layer.op)
                .first->second;
        other != layer.op) {
      InFlightDiagnostic diag = layer.op->emitError()
                                << "qa-assign-precision does not assign "
                                   "weights shared by several layers";
      diag.attachNote(other->getLoc()) << "also read here";
      return signalPassFailure();
    }

  FailureOr<std::vector<std::vector<double>>> reference =
      runner.run({}, [](func::FuncOp) { return success(); });
  if (failed(reference))
    return signalPassFailure();
  const std::vector<double> &floatOut = reference->back();
  double signalPower = 0;
  for (double v : floatOut)
    signalPower += v * v / floatOut.size();
  std::vector<int64_t> floatTop = argmaxPerSample(floatOut, count);
  std::optional<double> floatAccuracy;
  if (labelValues)
    floatAccuracy = topOneAccuracy(floatTop, *labelValues);

  // Candidates of each layer, each measured alone.
  SmallVector<unsigned> weightMenu(weightBits.begin(), weightBits.end());
  if (weightMenu.empty())
    weightMenu = {8, 4, 2};
  SmallVector<unsigned> activationMenu(activationBits.begin(),
                                       activationBits.end());
  if (activationMenu.empty())
    activationMenu = {8};
  SmallVector<WeightLayout> chosenLayouts;
  for (StringRef name : weightLayouts)
    chosenLayouts.push_back(
        llvm::StringSwitch<WeightLayout>(name)
            .Case("asymmetric-per-channel", WeightLayout::AsymmetricPerChannel)
            .Case("per-tensor", WeightLayout::PerTensor)
            .Default(WeightLayout::PerChannel));
  if (chosenLayouts.empty())
    chosenLayouts = {WeightLayout::PerChannel,
                     WeightLayout::AsymmetricPerChannel,
                     WeightLayout::PerTensor};
  // A layer alone has its result at 16 bits: its error is that of its
  // input and weights, the next layer's input being that layer's choice.
  std::string aloneOptions = quantizeOptions + " activation-bits=16";
  std::vector<std::vector<Candidate>> candidates(layers.size());
  std::vector<bool> staysFloat(layers.size(), false);
  for (auto [index, layer] : llvm::enumerate(layers)) {
    for (unsigned a : activationMenu)
      for (unsigned w : weightMenu) {
        // Binary signs only where this layer is all that reads them.
        if (a == 1 && !(w == 1 && layer.takesBinaryInput &&
                        layer.op->getOperand(0).hasOneUse()))
          continue;
        // The weight layouts of this width: binary is per channel.
        SmallVector<std::pair<WeightLayout, int64_t>> layouts;
        if (w == 1) {
          layouts.push_back({WeightLayout::PerChannel, 0});
        } else {
          for (WeightLayout layout : chosenLayouts)
            layouts.push_back({layout, 0});
          for (int64_t g : groupSizes)
            if (g < layer.groupedExtent && layer.groupedExtent % g == 0)
              layouts.push_back({WeightLayout::PerGroup, g});
        }
        for (auto [layout, g] : layouts) {
          Candidate candidate;
          candidate.activationBits = a;
          candidate.weightBits = w;
          candidate.layout = layout;
          candidate.groupSize = g;
          // Scales are float32; a zero point takes the weights' width.
          double channels = static_cast<double>(layer.channels);
          double metadata = layout == WeightLayout::PerTensor ? 32.0
                            : layout == WeightLayout::PerGroup
                                ? 32.0 * channels * (layer.depth / g)
                            : layout == WeightLayout::AsymmetricPerChannel
                                ? (32.0 + w) * channels
                                : 32.0 * channels;
          candidate.weightStorageBits =
              static_cast<double>(layer.weightCount) * w + metadata;
          candidate.cost = costOf(layer, candidate);
          if (std::isinf(candidate.cost))
            continue; // no kernel of the target serves it
          const Layer *alone[] = {&layer};
          const Candidate *chosen[] = {&candidate};
          bool quantized = false;
          FailureOr<std::vector<std::vector<double>>> measured =
              runner.run({}, [&](func::FuncOp copy) {
                keepFloatExcept(copy, layer.name);
                applyChoice(copy, alone, chosen);
                if (failed(quantizeFunction(copy, aloneOptions)))
                  return failure();
                copy.walk([&](Operation *op) {
                  quantized |=
                      isa<FullyConnectedOp, Conv2DOp, DepthwiseConv2DOp>(op) &&
                      measuredName(op) == layer.name;
                });
                return success();
              });
          if (failed(measured))
            return signalPassFailure();
          // A layer qa-quantize leaves float (kept float, a bias it cannot
          // fold) has nothing to choose.
          if (!quantized) {
            layer.op->emitRemark() << "qa-assign-precision leaves this layer "
                                      "out: qa-quantize keeps it float";
            staysFloat[index] = true;
            break;
          }
          candidate.error =
              compareTensors(floatOut, measured->back()).meanSquared;
          candidates[index].push_back(candidate);
        }
        if (staysFloat[index])
          break;
      }
    if (staysFloat[index])
      continue;
    if (candidates[index].empty()) {
      layer.op->emitError()
          << "no candidate precision for this layer in "
             "weight-bits and activation-bits"
          << (target ? " that the target has a kernel for" : "");
      return signalPassFailure();
    }
  }
  for (size_t index = layers.size(); index-- > 0;)
    if (staysFloat[index]) {
      layers.erase(layers.begin() + index);
      candidates.erase(candidates.begin() + index);
    }
  if (layers.empty()) {
    function.emitError() << "qa-assign-precision found no layer qa-quantize "
                            "quantizes";
    return signalPassFailure();
  }
  std::vector<SmallVector<PrecisionCandidate>> problem;
  for (auto [layer, options] : llvm::zip_equal(layers, candidates)) {
    for (const Candidate &candidate : options)
      if (!std::isfinite(candidate.error)) {
        layer.op->emitError() << "the model's output is not finite with this "
                                 "layer quantized as "
                              << candidate.label();
        return signalPassFailure();
      }
    SmallVector<PrecisionCandidate> entry;
    for (const Candidate &candidate : options)
      entry.push_back({candidate.cost, candidate.error});
    problem.push_back(std::move(entry));
  }

  // The whole model as chosen, measured (each assignment once).
  std::vector<const Layer *> layerPointers;
  for (const Layer &layer : layers)
    layerPointers.push_back(&layer);
  std::map<std::vector<size_t>, Verified> verified;
  auto verify = [&](const std::vector<size_t> &choice) -> FailureOr<Verified> {
    if (auto it = verified.find(choice); it != verified.end())
      return it->second;
    std::vector<const Candidate *> chosen;
    for (auto [index, pick] : llvm::enumerate(choice))
      chosen.push_back(&candidates[index][pick]);
    FailureOr<std::vector<std::vector<double>>> measured =
        runner.run({}, [&](func::FuncOp copy) {
          applyChoice(copy, layerPointers, chosen);
          return quantizeFunction(copy, quantizeOptions);
        });
    if (failed(measured))
      return failure();
    Verified result;
    result.error = compareTensors(floatOut, measured->back());
    std::vector<int64_t> top = argmaxPerSample(measured->back(), count);
    result.agreement = topOneAccuracy(top, floatTop);
    if (labelValues)
      result.accuracy = topOneAccuracy(top, *labelValues);
    return verified[choice] = result;
  };
  auto meetsBudget = [&](const Verified &result) {
    if (minSqnr >= 0 && !(result.error.sqnrDb >= minSqnr))
      return false;
    if (maxAccuracyDrop >= 0 &&
        !(*floatAccuracy - *result.accuracy <= maxAccuracyDrop))
      return false;
    return true;
  };
  auto describeBudget = [&] {
    std::string text;
    if (minSqnr >= 0)
      text += llvm::formatv("min-sqnr {0:f1} dB", minSqnr.getValue()).str();
    if (maxAccuracyDrop >= 0)
      text += llvm::formatv("{0}max-accuracy-drop {1:f2} points (float "
                            "{2:f2}%)",
                            text.empty() ? "" : ", ",
                            maxAccuracyDrop.getValue(), *floatAccuracy)
                  .str();
    return text;
  };

  // Tighten the noise budget 1 dB at a time from the SQNR asked for (0 dB
  // for an accuracy budget) until the measured model meets the budget.
  std::optional<PrecisionAssignment> accepted;
  std::optional<Verified> acceptedResult;
  for (double target = std::max(minSqnr.getValue(), 0.0); target <= 300;
       target += 1) {
    llvm::Expected<PrecisionAssignment> solved = solvePrecisionAssignment(
        problem, signalPower * std::pow(10.0, -target / 10));
    if (!solved) {
      llvm::consumeError(solved.takeError());
      break;
    }
    FailureOr<Verified> result = verify(solved->choice);
    if (failed(result))
      return signalPassFailure();
    if (meetsBudget(*result)) {
      accepted = *solved;
      acceptedResult = *result;
      break;
    }
  }
  if (!accepted) {
    // No budget the solver could meet passed; the most accurate assignment
    // may still (accuracy is not monotone in the noise).
    PrecisionAssignment best = leastErrorAssignment(problem);
    FailureOr<Verified> result = verify(best.choice);
    if (failed(result))
      return signalPassFailure();
    if (meetsBudget(*result)) {
      accepted = best;
      acceptedResult = *result;
    }
  }
  if (!accepted) {
    const Verified *result = &verified[leastErrorAssignment(problem).choice];
    InFlightDiagnostic diag = function.emitError()
                              << "no precision assignment meets the budget ("
                              << describeBudget()
                              << "): the most accurate one measures SQNR "
                              << formatDecibels(result->error.sqnrDb) << " dB";
    if (result->accuracy)
      diag << llvm::formatv(", accuracy {0:f2}%", *result->accuracy).str();
    return signalPassFailure();
  }

  std::vector<const Candidate *> chosen;
  for (auto [index, pick] : llvm::enumerate(accepted->choice))
    chosen.push_back(&candidates[index][pick]);
  applyChoice(function, layerPointers, chosen);

  // The report.
  double totalCost = 0, weightBitsChosen = 0, weightBitsUniform = 0,
         uniformCost = 0;
  for (auto [layer, candidate] : llvm::zip_equal(layers, chosen)) {
    totalCost += candidate->cost;
    weightBitsChosen += candidate->weightStorageBits;
    Candidate uniform;
    uniform.weightStorageBits = layer.weightCount * 8.0 + 32.0 * layer.channels;
    weightBitsUniform += uniform.weightStorageBits;
    uniformCost += costOf(layer, uniform);
  }
  auto decibelsAlone = [&](const Candidate &candidate) {
    return candidate.error == 0
               ? std::string("inf")
               : formatDecibels(10 * std::log10(signalPower / candidate.error));
  };
  // Bits are whole; cycles are not.
  auto formatCost = [&](double cost) {
    return (objective == "latency" ? llvm::formatv("{0:f2}", cost)
                                   : llvm::formatv("{0:f0}", cost))
        .str();
  };
  auto printTable = [&](raw_ostream &os) {
    os << llvm::formatv("qa-assign-precision: @{0}, {1} samples, objective "
                        "{2}, budget {3}\n",
                        function.getName(), count, objective, describeBudget());
    os << llvm::formatv("{0,-20} {1,-24} {2,+10} {3,+8} {4,-30} {5,+12} "
                        "{6,+7} {7,+9}\n",
                        "layer", "op", "MACs", "weights", "choice", "cost",
                        "share", "alone dB");
    for (auto [layer, candidate] : llvm::zip_equal(layers, chosen))
      os << llvm::formatv(
          "{0,-20} {1,-24} {2,+10} {3,+8} {4,-30} {5,+12} "
          "{6,6:f1}% {7,+9}\n",
          layer.name, layer.op->getName().getStringRef(), layer.macs,
          layer.weightCount, candidate->label(), formatCost(candidate->cost),
          100 * candidate->cost / totalCost, decibelsAlone(*candidate));
    os << llvm::formatv("weight bits (with scales): {0:f0}, uniform 8-bit "
                        "{1:f0} ({2:f1}% fewer); cost {3}, uniform 8-bit "
                        "{4}\n",
                        weightBitsChosen, weightBitsUniform,
                        100 * (1 - weightBitsChosen / weightBitsUniform),
                        formatCost(totalCost), formatCost(uniformCost));
    os << llvm::formatv("verified: output SQNR {0} dB, top-1 agreement "
                        "{1:f2}%",
                        formatDecibels(acceptedResult->error.sqnrDb),
                        acceptedResult->agreement);
    if (labelValues)
      os << llvm::formatv(", accuracy {0:f2}% (float {1:f2}%)",
                          *acceptedResult->accuracy, *floatAccuracy);
    os << "\n";
  };
  auto makeJson = [&]() -> llvm::json::Value {
    llvm::json::Array entries;
    for (auto [layer, candidate] : llvm::zip_equal(layers, chosen))
      entries.push_back(llvm::json::Object{
          {"name", layer.name},
          {"op", layer.op->getName().getStringRef().str()},
          {"macs", layer.macs},
          {"weights", layer.weightCount},
          {"activation_bits", static_cast<int64_t>(candidate->activationBits)},
          {"weight_bits", static_cast<int64_t>(candidate->weightBits)},
          {"group_size", candidate->groupSize},
          {"choice", candidate->label()},
          {"cost", candidate->cost},
          {"cost_share", candidate->cost / totalCost},
          {"alone_sqnr_db", decibelsAlone(*candidate)}});
    llvm::json::Object report{
        {"function", function.getName().str()},
        {"samples", count},
        {"objective", objective},
        {"budget", describeBudget()},
        {"layers", std::move(entries)},
        {"weight_bits", weightBitsChosen},
        {"uniform_int8_weight_bits", weightBitsUniform},
        {"cost", totalCost},
        {"uniform_int8_cost", uniformCost},
        {"verified_sqnr_db", formatDecibels(acceptedResult->error.sqnrDb)},
        {"top1_agreement", acceptedResult->agreement}};
    if (labelValues) {
      report["accuracy"] = *acceptedResult->accuracy;
      report["float_accuracy"] = *floatAccuracy;
    }
    return std::move(report);
  };
  if (failed(writeReports(module, table, printTable, json, makeJson)))
    return signalPassFailure();
}
