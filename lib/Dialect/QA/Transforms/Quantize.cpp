//===- Quantize.cpp - Float ops to qa ops on quantized types --------------===//
//
// qa-quantize: recognizes layers in tosa (matmul by constant weights,
// conv2d and depthwise conv2d, with their bias and an optional ReLU/ReLU6
// clamp; pooling; add, mul, matmul and concat of activations; sigmoid, tanh
// and hard-swish as tables) and replaces each with its qa op on quantized
// types chosen from the values' ranges or from the graph's own quantization
// (fake_quant, QDQ); reshapes between them move integers. Weights and biases
// are quantized here, at compile time.
//
//===----------------------------------------------------------------------===//

#include "quantaware/Analysis/FloatMatchers.h"
#include "quantaware/Dialect/QA/IR/QAOps.h"
#include "quantaware/Dialect/QA/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

namespace mlir::qa {
#define GEN_PASS_DEF_QAQUANTIZE
#include "quantaware/Dialect/QA/Transforms/Passes.h.inc"
} // namespace mlir::qa

using namespace mlir;
using namespace mlir::qa;

namespace {

/// A ReLU or ReLU6 (a tosa.clamp from 0) that fuses into the storage range
/// of the result before it.
struct FusedClamp {
  tosa::ClampOp op;
  double min = 0, max = 0;
};

/// How a weight channel's scale is chosen (the weight-clipping option).
enum class WeightClipping { Max, Mse };

/// How one layer's weights are quantized: as the #qa.precision on the
/// weights' constant says, else as the pass options say.
struct WeightScheme {
  unsigned bits = 8;
  bool perTensor = false, symmetric = true;
  int64_t groupSize = 0; // fully connected: scales per block of K; 0: none
  WeightClipping clipping = WeightClipping::Max;
  bool isBinary() const { return bits == 1; }
};

/// A recognized layer: a tosa.matmul (then optionally a bias add) or a
/// tosa.conv2d or tosa.depthwise_conv2d (with its bias operand), then
/// optionally a ReLU clamp.
struct Layer {
  Operation *op; // tosa.matmul, conv2d or depthwise_conv2d
  Value input;
  Value floatWeights;                // the tosa operand
  SmallVector<double> weights;       // channel-major: [channels, depth]
  SmallVector<int64_t> weightsShape; // of the qa.constant: [N, K], OHWI or
                                     // [1, KH, KW, C * M]
  int64_t channelAxis = 0;           // of weightsShape: 0, or 3 (depthwise)
  int64_t channels = 0, depth = 0;
  // Weights quantized already (trained: a qa.dequantize of a qa.constant),
  // in the qa layout; kept as they are instead of `weights` being quantized.
  Type trainedType; // element type, channel axis remapped
  SmallVector<APInt> trainedStored;
  SmallVector<double> bias; // one per channel, or empty
  tosa::AddOp biasAdd;      // matmul only
  FusedClamp clamp;
  WeightScheme scheme;

  Operation *last() {
    if (clamp.op)
      return clamp.op;
    if (biasAdd)
      return biasAdd;
    return op;
  }
};

/// A layer's weights as a qa.constant holds them: element type, stored
/// values in the layer's weightsShape, and one scale per channel (or one for
/// the tensor).
struct QuantizedWeights {
  Type type;
  SmallVector<APInt> stored;
  SmallVector<double> scales;
};

struct QAQuantize final : qa::impl::QAQuantizeBase<QAQuantize> {
  using Base::Base;
  void runOnOperation() override;

private:
  FailureOr<quant::UniformQuantizedType> activationType(Value value,
                                                        Operation *user);
  /// The tensor type of `result` quantized as activationType says.
  FailureOr<RankedTensorType> quantizedTypeOf(Value result, Operation *user) {
    FailureOr<quant::UniformQuantizedType> type = activationType(result, user);
    if (failed(type))
      return failure();
    return RankedTensorType::get(
        cast<RankedTensorType>(result.getType()).getShape(), *type);
  }
  FailureOr<Value> integerInput(OpBuilder &builder, Value input,
                                Operation *user, RoundingMode mode);
  FailureOr<bool> takesBinaryInput(const Layer &layer);
  FailureOr<Value> binaryInput(OpBuilder &builder, Value input, Operation *user,
                               RoundingMode mode);
  LogicalResult quantize(Layer layer, RoundingMode mode);
  QuantizedWeights quantizeWeights(const Layer &layer);
  QuantizedWeights quantizeWeightsPerGroup(const Layer &layer,
                                           StorageRange weightRange);
  FailureOr<WeightScheme> weightSchemeOf(const Layer &layer);
  FailureOr<QuantizedWeights> quantizeWeightsAffine(const Layer &layer);
  LogicalResult quantizePool(Operation *pool, RoundingMode mode);
  LogicalResult quantizeElementwise(Operation *op, RoundingMode mode);
  LogicalResult quantizeActivationProduct(tosa::MatMulOp matmul,
                                          RoundingMode mode);
  LogicalResult quantizeConcat(tosa::ConcatOp concat, RoundingMode mode);
  LogicalResult quantizeHardSwish(Operation *mul, RoundingMode mode);
  LogicalResult quantizeTable(Value input, Operation *last,
                              function_ref<double(double)> function,
                              RoundingMode mode);

  /// Leaves `op` float, saying why after "stays float: "; the final sweep
  /// over what remains float does not repeat it. Without float-fallback an
  /// error, unless the user asked for it (`requested`).
  InFlightDiagnostic stayFloat(Operation *op, bool requested = false) {
    leftFloat.insert(op);
    if (floatFallback || requested)
      return op->emitRemark("stays float: ");
    floatLeft = true;
    return op->emitError("stays float, and float-fallback is off: ");
  }

  /// Leaves `op` float as its qa.keep_float asks: a remark in any case.
  InFlightDiagnostic keptFloat(Operation *op) {
    return stayFloat(op, /*requested=*/true)
           << "it is marked " << QADialect::kKeepFloatAttrName;
  }

  llvm::SmallPtrSet<Operation *, 8> leftFloat;
  /// An op stayed float without float-fallback.
  bool floatLeft = false;
};

} // namespace

static DenseFPElementsAttr constantOf(Value value) {
  Attribute attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return {};
  return dyn_cast<DenseFPElementsAttr>(attr);
}

/// The values of a constant, widened to double.
static SmallVector<double> valuesOf(DenseFPElementsAttr attr) {
  SmallVector<double> values;
  for (const APFloat &value : attr.getValues<APFloat>())
    values.push_back(toDouble(value));
  return values;
}

/// The scales and zero points of a per-tensor or per-axis quantized tensor
/// type (binary: alphas, zero points 0), and which applies to each element.
struct ElementQuantization {
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
  int64_t axis = -1, axisSize = 1, inner = 1;

  /// The entry of the element at row-major `index`.
  size_t of(size_t index) const {
    return axis < 0 ? 0 : static_cast<int64_t>(index) / inner % axisSize;
  }
};

/// nullopt for other element types (sub-channel).
static std::optional<ElementQuantization>
elementQuantizationOf(RankedTensorType type) {
  Type element = type.getElementType();
  ElementQuantization q;
  if (auto binary = dyn_cast<BinaryType>(element)) {
    q.scales.assign(binary.getAlphas().begin(), binary.getAlphas().end());
    q.zeroPoints.assign(q.scales.size(), 0);
    q.axis = binary.getAxis();
  } else if (auto perAxis =
                 dyn_cast<quant::UniformQuantizedPerAxisType>(element)) {
    q.scales.assign(perAxis.getScales().begin(), perAxis.getScales().end());
    q.zeroPoints.assign(perAxis.getZeroPoints().begin(),
                        perAxis.getZeroPoints().end());
    q.axis = perAxis.getQuantizedDimension();
  } else if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(element)) {
    q.scales = {perTensor.getScale()};
    q.zeroPoints = {perTensor.getZeroPoint()};
  } else {
    return std::nullopt;
  }
  if (q.axis >= 0) {
    q.axisSize = type.getDimSize(q.axis);
    for (int64_t d = q.axis + 1; d < type.getRank(); ++d)
      q.inner *= type.getDimSize(d);
  }
  return q;
}

/// The real values of a stored quantized constant (per tensor or per axis):
/// (q - zp) * scale with the scale and zero point of each element's channel,
/// or +-alpha for binary.
static SmallVector<double> realValuesOf(ConstantOp constant,
                                        const ElementQuantization &q) {
  Type element = constant.getType().getElementType();
  bool isSigned = getStorageRange(element).min < 0;
  SmallVector<double> values;
  auto stored = cast<DenseIntElementsAttr>(constant.getValue());
  for (auto [i, bits] : llvm::enumerate(stored.getValues<APInt>())) {
    size_t c = q.of(i);
    int64_t v = isSigned ? bits.getSExtValue() : bits.getZExtValue();
    values.push_back(isa<BinaryType>(element)
                         ? (2 * v - 1) * q.scales[c]
                         : (v - q.zeroPoints[c]) * q.scales[c]);
  }
  return values;
}

/// The values of a constant operand: a float constant, or a dequantized
/// quantized one (a QDQ graph's weights and biases).
static std::optional<SmallVector<double>> constantValues(Value value) {
  if (DenseFPElementsAttr attr = constantOf(value))
    return valuesOf(attr);
  if (auto dequantize = value.getDefiningOp<DequantizeOp>())
    if (auto constant = dequantize.getInput().getDefiningOp<ConstantOp>())
      if (std::optional<ElementQuantization> q =
              elementQuantizationOf(constant.getType());
          q && isa<DenseIntElementsAttr>(constant.getValue()))
        return realValuesOf(constant, *q);
  return std::nullopt;
}

/// The quantized constant behind trained weights: qa.dequantize of a
/// qa.constant quantized per tensor or along `channelAxis`.
static ConstantOp trainedWeights(Value weights, int64_t channelAxis) {
  auto dequantize = weights.getDefiningOp<DequantizeOp>();
  auto constant =
      dequantize ? dequantize.getInput().getDefiningOp<ConstantOp>() : nullptr;
  if (!constant || !isa<DenseIntElementsAttr>(constant.getValue()))
    return nullptr;
  Type element = cast<RankedTensorType>(constant.getType()).getElementType();
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(element))
    return perAxis.getQuantizedDimension() == channelAxis ? constant : nullptr;
  if (auto binary = dyn_cast<BinaryType>(element))
    return !binary.isPerChannel() || binary.getAxis() == channelAxis ? constant
                                                                     : nullptr;
  return isa<quant::UniformQuantizedType>(element) ? constant : nullptr;
}

/// `element` quantized along `axis` instead (per-tensor types unchanged).
static Type withChannelAxis(Type element, int32_t axis) {
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(element))
    return quant::UniformQuantizedPerAxisType::get(
        perAxis.getFlags(), perAxis.getStorageType(),
        perAxis.getExpressedType(), perAxis.getScales(),
        perAxis.getZeroPoints(), axis, perAxis.getStorageTypeMin(),
        perAxis.getStorageTypeMax());
  if (auto binary = dyn_cast<BinaryType>(element);
      binary && binary.isPerChannel())
    return BinaryType::get(binary.getExpressedType(), axis, binary.getAlphas());
  return element;
}

/// round(value) clamped to [lo, hi], ties away from zero, as TFLite
/// quantizes weights. Clamping happens in double, before the conversion,
/// so that huge or infinite values (a ReLU's FLT_MAX bound) are defined.
static int64_t roundHalfAwayClamped(double value, int64_t lo, int64_t hi) {
  double rounded = std::round(value);
  if (!(rounded >= static_cast<double>(lo)))
    return lo;
  if (!(rounded <= static_cast<double>(hi)))
    return hi;
  return static_cast<int64_t>(rounded);
}

/// Lets the quantized `quantized` stand for the float `result`: its users
/// read the dequantized value, which keeps the result's precision (a binary
/// one is for its users to take).
static void replaceWithDequantized(OpBuilder &builder, Value result,
                                   Value quantized) {
  auto dequantize =
      DequantizeOp::create(builder, result.getLoc(),
                           cast<RankedTensorType>(result.getType()), quantized);
  if (PrecisionAttr precision = getValuePrecision(result))
    setValuePrecision(dequantize.getResult(), precision);
  result.replaceAllUsesWith(dequantize.getResult());
}

/// A ReLU or ReLU6 after `value`, if that is its only use (else null).
static FusedClamp matchClamp(Value value) {
  if (!value.hasOneUse())
    return {};
  auto clamp = dyn_cast<tosa::ClampOp>(*value.getUsers().begin());
  if (!clamp)
    return {};
  std::optional<double> lo = floatAttrValue(clamp.getMinValAttr());
  std::optional<double> hi = floatAttrValue(clamp.getMaxValAttr());
  if (!lo || !hi || *lo != 0.0)
    return {};
  return {clamp, *lo, *hi};
}

/// `type` with its storage range narrowed to the clamp's bounds in stored
/// units (round(x / scale) + zp, as qa.quantize computes it), saturated to
/// the storage range: a bound beyond it (ReLU's FLT_MAX) narrows nothing.
static quant::UniformQuantizedType narrowedBy(quant::UniformQuantizedType type,
                                              const FusedClamp &clamp) {
  if (!clamp.op)
    return type;
  auto toStored = [&](double real) {
    return roundHalfAwayClamped(
        std::round(real / type.getScale()) + type.getZeroPoint(),
        type.getStorageTypeMin(), type.getStorageTypeMax());
  };
  return quant::UniformQuantizedType::get(
      type.getFlags(), type.getStorageType(), type.getExpressedType(),
      type.getScale(), type.getZeroPoint(), toStored(clamp.min),
      toStored(clamp.max));
}

/// The matmul's layer, or nullopt when it is not one qa-quantize handles.
static std::optional<Layer> matchLayer(tosa::MatMulOp matmul) {
  DenseFPElementsAttr weights = constantOf(matmul.getB());
  ConstantOp trained = trainedWeights(matmul.getB(), /*channelAxis=*/2);
  if ((!weights && !trained) || matmul.getA().getType().getDimSize(0) != 1)
    return std::nullopt;
  Layer layer;
  layer.op = matmul;
  layer.input = matmul.getA();
  layer.floatWeights = matmul.getB();
  // [1, K, N] -> channel-major [N, K].
  ArrayRef<int64_t> shape = matmul.getB().getType().getShape();
  layer.depth = shape[1];
  layer.channels = shape[2];
  layer.weightsShape = {layer.channels, layer.depth};
  if (trained) {
    SmallVector<APInt> stored(
        cast<DenseIntElementsAttr>(trained.getValue()).getValues<APInt>());
    for (int64_t n = 0; n < layer.channels; ++n)
      for (int64_t k = 0; k < layer.depth; ++k)
        layer.trainedStored.push_back(stored[k * layer.channels + n]);
    layer.trainedType = withChannelAxis(
        cast<RankedTensorType>(trained.getType()).getElementType(), 0);
  } else {
    SmallVector<double> values = valuesOf(weights);
    for (int64_t n = 0; n < layer.channels; ++n)
      for (int64_t k = 0; k < layer.depth; ++k)
        layer.weights.push_back(values[k * layer.channels + n]);
  }

  Value current = matmul.getResult();
  if (current.hasOneUse())
    if (auto add = dyn_cast<tosa::AddOp>(*current.getUsers().begin())) {
      Value other =
          add.getInput1() == current ? add.getInput2() : add.getInput1();
      std::optional<SmallVector<double>> bias = constantValues(other);
      // Only a bias along the output channels fuses: every other dimension
      // of it must be 1 (a per-row bias is not a per-channel one).
      ArrayRef<int64_t> biasShape =
          cast<RankedTensorType>(other.getType()).getShape();
      bool perChannel =
          bias && !biasShape.empty() && biasShape.back() == layer.channels &&
          llvm::all_of(biasShape.drop_back(), [](int64_t d) { return d == 1; });
      if (perChannel) {
        layer.biasAdd = add;
        layer.bias = *bias;
        current = add.getResult();
      }
    }
  layer.clamp = matchClamp(current);
  return layer;
}

/// Sets a convolution's bias: one value per output channel, or one value
/// broadcast to all; false for any other size.
static bool setConvolutionBias(Layer &layer, ArrayRef<double> bias) {
  if (bias.size() == 1)
    layer.bias.assign(layer.channels, bias.front());
  else if (static_cast<int64_t>(bias.size()) == layer.channels)
    layer.bias.assign(bias.begin(), bias.end());
  else
    return false;
  return true;
}

/// The conv2d's layer (constant OHWI weights, constant bias), or nullopt.
static std::optional<Layer> matchLayer(tosa::Conv2DOp conv) {
  DenseFPElementsAttr weights = constantOf(conv.getWeight());
  ConstantOp trained = trainedWeights(conv.getWeight(), /*channelAxis=*/0);
  std::optional<SmallVector<double>> bias = constantValues(conv.getBias());
  if ((!weights && !trained) || !bias)
    return std::nullopt;
  Layer layer;
  layer.op = conv;
  layer.input = conv.getInput();
  layer.floatWeights = conv.getWeight();
  layer.weightsShape =
      SmallVector<int64_t>(conv.getWeight().getType().getShape());
  layer.channels = layer.weightsShape[0];
  layer.depth = conv.getWeight().getType().getNumElements() / layer.channels;
  // OHWI is channel-major already.
  if (trained) {
    layer.trainedStored = SmallVector<APInt>(
        cast<DenseIntElementsAttr>(trained.getValue()).getValues<APInt>());
    layer.trainedType =
        cast<RankedTensorType>(trained.getType()).getElementType();
  } else {
    layer.weights = valuesOf(weights);
  }
  if (!setConvolutionBias(layer, *bias))
    return std::nullopt;
  layer.clamp = matchClamp(conv.getResult());
  return layer;
}

/// The depthwise conv2d's layer: constant [KH, KW, C, M] weights become the
/// qa layout [1, KH, KW, C * M] (output channel c * M + m), constant bias.
static std::optional<Layer> matchLayer(tosa::DepthwiseConv2DOp conv) {
  DenseFPElementsAttr weights = constantOf(conv.getWeight());
  std::optional<SmallVector<double>> bias = constantValues(conv.getBias());
  if (!weights || !bias)
    return std::nullopt;
  ArrayRef<int64_t> shape = weights.getType().getShape();
  Layer layer;
  layer.op = conv;
  layer.input = conv.getInput();
  layer.floatWeights = conv.getWeight();
  layer.channels = shape[2] * shape[3];
  layer.depth = shape[0] * shape[1];
  layer.weightsShape = {1, shape[0], shape[1], layer.channels};
  layer.channelAxis = 3;
  // [KH * KW, C * M] row-major -> channel-major.
  SmallVector<double> values = valuesOf(weights);
  for (int64_t o = 0; o < layer.channels; ++o)
    for (int64_t k = 0; k < layer.depth; ++k)
      layer.weights.push_back(values[k * layer.channels + o]);
  if (!setConvolutionBias(layer, *bias))
    return std::nullopt;
  layer.clamp = matchClamp(conv.getResult());
  return layer;
}

/// The layer `op` heads, if it is one qa-quantize handles.
static std::optional<Layer> matchLayer(Operation *op) {
  return llvm::TypeSwitch<Operation *, std::optional<Layer>>(op)
      .Case([](tosa::MatMulOp m) { return matchLayer(m); })
      .Case([](tosa::Conv2DOp c) { return matchLayer(c); })
      .Case([](tosa::DepthwiseConv2DOp c) { return matchLayer(c); })
      .Default([](Operation *) { return std::nullopt; });
}

FailureOr<quant::UniformQuantizedType>
QAQuantize::activationType(Value value, Operation *user) {
  // A trained graph quantizes the value itself (QDQ, or an expanded
  // fake_quant): keep its type rather than calibrate.
  if (value.hasOneUse())
    if (auto quantize = dyn_cast<QuantizeOp>(*value.getUsers().begin()))
      if (auto type = dyn_cast<quant::UniformQuantizedType>(
              quantize.getOutput().getType().getElementType()))
        return type;
  RangeAttr range = getValueRange(value);
  if (!range)
    return user->emitError() << "qa-quantize needs a qa.range for this "
                                "value; run qa-propagate-ranges or "
                                "qa-calibrate first";
  // Binary activations are the signs of 8-bit integers, taken where a
  // layer reads them (binaryInput).
  unsigned bits = activationBits == 1 ? 8 : activationBits.getValue();
  bool isSigned = true, symmetric = false;
  PrecisionAttr precision = getValuePrecision(value);
  if (precision && precision.getScheme() == Scheme::Binary)
    precision = {};
  if (precision) {
    if (precision.getScheme() != Scheme::Uniform ||
        precision.getGranularity() != Granularity::PerTensor)
      return user->emitError() << "qa-quantize quantizes activations per "
                                  "tensor and uniformly, not as "
                               << precision;
    bits = precision.getBits();
    isSigned = precision.getIsSigned();
    symmetric = precision.getSymmetric();
  }
  llvm::Expected<QuantParams> params = chooseQuantParams(
      range.getLo(), range.getHi(), bits, isSigned, symmetric);
  if (!params)
    return user->emitError() << llvm::toString(params.takeError());
  StorageRange storage = getStorageRange(bits, isSigned, symmetric && isSigned);
  MLIRContext *context = &getContext();
  return quant::UniformQuantizedType::get(
      isSigned ? quant::QuantizationFlags::Signed : 0,
      IntegerType::get(context, bits), Float32Type::get(context), params->scale,
      params->zeroPoint, storage.min, storage.max);
}

/// The integers of a float `input` of `user`: those of its quantized
/// producer (a per-tensor qa.dequantize), else a new qa.quantize of it with
/// the type its range asks for.
FailureOr<Value> QAQuantize::integerInput(OpBuilder &builder, Value input,
                                          Operation *user, RoundingMode mode) {
  if (PrecisionAttr precision = getValuePrecision(input);
      precision && precision.getScheme() == Scheme::Binary)
    return user->emitError() << "a binary activation (" << precision
                             << ") feeds only fully-connected layers and "
                                "unpadded convolutions with binary weights";
  if (auto dequantize = input.getDefiningOp<DequantizeOp>())
    if (isa<quant::UniformQuantizedType>(
            cast<RankedTensorType>(dequantize.getInput().getType())
                .getElementType()))
      return dequantize.getInput();
  FailureOr<quant::UniformQuantizedType> type = activationType(input, user);
  if (failed(type))
    return failure();
  auto inputType = cast<RankedTensorType>(input.getType());
  auto quantizedType = RankedTensorType::get(inputType.getShape(), *type);
  // One quantize per value and type: reuse one made for an earlier user.
  for (Operation *other : input.getUsers())
    if (auto quantize = dyn_cast<QuantizeOp>(other))
      if (quantize.getType() == quantizedType &&
          quantize.getRounding() == mode &&
          quantize->getBlock() == user->getBlock() &&
          quantize->isBeforeInBlock(user))
        return quantize.getResult();
  return QuantizeOp::create(builder, user->getLoc(), quantizedType, input,
                            RoundingModeAttr::get(&getContext(), mode))
      .getResult();
}

/// Whether `layer` reads its input as binary signs: the input's
/// #qa.precision says so (an error where the layer cannot), or
/// activation-bits=1 and the layer can: fully connected or an unpadded
/// convolution, with binary weights.
/// The real range of a float `value` as a binary input sees it: that of the
/// integers' type when it is a per-tensor qa.dequantize, else its qa.range.
static std::optional<std::pair<double, double>> realRangeOf(Value value) {
  if (auto dequantize = value.getDefiningOp<DequantizeOp>())
    if (auto type = dyn_cast<quant::UniformQuantizedType>(
            getElementTypeOrSelf(dequantize.getInput().getType())))
      return std::make_pair(
          type.getScale() * (type.getStorageTypeMin() - type.getZeroPoint()),
          type.getScale() * (type.getStorageTypeMax() - type.getZeroPoint()));
  if (RangeAttr range = getValueRange(value))
    return std::make_pair(range.getLo(), range.getHi());
  return std::nullopt;
}

FailureOr<bool> QAQuantize::takesBinaryInput(const Layer &layer) {
  bool binaryWeights = layer.trainedType ? isa<BinaryType>(layer.trainedType)
                                         : layer.scheme.isBinary();
  // A convolution's padding would need a binary zero.
  auto conv = dyn_cast<tosa::Conv2DOp>(layer.op);
  bool unpadded =
      conv && llvm::all_of(conv.getPad(), [](int64_t p) { return p == 0; });
  bool canTake = (isa<tosa::MatMulOp>(layer.op) || unpadded) && binaryWeights;
  // Signs of a value that is never negative would all be +1.
  std::optional<std::pair<double, double>> range = realRangeOf(layer.input);
  bool changesSign = range && range->first < 0;
  PrecisionAttr precision = getValuePrecision(layer.input);
  if (precision && precision.getScheme() == Scheme::Binary) {
    if (!canTake)
      return layer.op->emitError()
             << "a binary input (" << precision
             << ") needs a fully-connected layer or an unpadded convolution "
                "with binary weights";
    if (precision.getGranularity() != Granularity::PerTensor)
      return layer.op->emitError()
             << "binary activations have one alpha per tensor, not "
             << precision;
    if (range && !changesSign)
      return layer.op->emitError()
             << "a binary input (" << precision << ") of a value in ["
             << range->first << ", " << range->second
             << "], never negative, would be constant";
    return true;
  }
  if (auto dequantize = layer.input.getDefiningOp<DequantizeOp>())
    if (isa<BinaryType>(
            getElementTypeOrSelf(dequantize.getInput().getType()))) {
      // A trained graph's binary activation.
      if (!canTake)
        return layer.op->emitError()
               << "this layer reads a binary activation of the trained "
                  "graph, but only fully-connected layers and unpadded "
                  "convolutions with binary weights read signs";
      return true;
    }
  return !precision && activationBits == 1 && canTake && changesSign;
}

/// The signs of a float `input` of `user` as a per-tensor !qa.binary: the
/// bit is x >= 0. From integers (a per-tensor qa.dequantize) a
/// qa.requantize takes them (q >= zp), else a qa.quantize. Alpha is the
/// mean magnitude of a value spread uniformly over its range (the real
/// range of the integers' type, or the qa.range of a float; widened to
/// contain 0): (lo^2 + hi^2) / (2 (hi - lo)), the least-squares alpha of
/// its signs when only the range is known.
FailureOr<Value> QAQuantize::binaryInput(OpBuilder &builder, Value input,
                                         Operation *user, RoundingMode mode) {
  auto dequantize = input.getDefiningOp<DequantizeOp>();
  Type producedElement =
      dequantize ? getElementTypeOrSelf(dequantize.getInput().getType())
                 : Type();
  if (auto binary = dyn_cast_or_null<BinaryType>(producedElement)) {
    if (binary.isPerChannel())
      return user->emitError()
             << "binary activations have one alpha per tensor";
    return dequantize.getInput();
  }
  auto fromType =
      dyn_cast_or_null<quant::UniformQuantizedType>(producedElement);
  std::optional<std::pair<double, double>> range = realRangeOf(input);
  if (!range)
    return user->emitError() << "qa-quantize needs a qa.range for this "
                                "value; run qa-propagate-ranges or "
                                "qa-calibrate first";
  double lo = std::min(range->first, 0.0), hi = std::max(range->second, 0.0);
  double alpha = hi > lo ? (lo * lo + hi * hi) / (2 * (hi - lo)) : 1.0;
  auto type = RankedTensorType::get(
      cast<RankedTensorType>(input.getType()).getShape(),
      BinaryType::get(builder.getF32Type(), BinaryType::kPerTensor, {alpha}));
  auto rounding = RoundingModeAttr::get(&getContext(), mode);
  Value source = fromType ? dequantize.getInput() : input;
  // One conversion per value and type: reuse one made for an earlier user.
  for (Operation *other : source.getUsers())
    if (isa<QuantizeOp, RequantizeOp>(other) &&
        other->getResult(0).getType() == type &&
        other->getBlock() == user->getBlock() && other->isBeforeInBlock(user))
      return other->getResult(0);
  if (fromType)
    return RequantizeOp::create(builder, user->getLoc(), type, source,
                                /*multiplier=*/nullptr, /*shift=*/nullptr,
                                rounding)
        .getResult();
  return QuantizeOp::create(builder, user->getLoc(), type, source, rounding)
      .getResult();
}

/// The symmetric scale of one output channel's weights quantized to
/// [-qmax, qmax]. `Max` maps max |w| to qmax. `Mse` clips: it tries
/// max |w| * r for r = 1, 0.99, ..., 0.30 and keeps the scale with the least
/// squared rounding-plus-clipping error (the first, so the largest, on
/// ties), which at 4 bits and below is worth far more than the few outliers
/// it saturates.
static double weightScale(ArrayRef<double> weights, int64_t qmax,
                          WeightClipping clipping) {
  double largest = 0;
  for (double w : weights)
    largest = std::max(largest, std::abs(w));
  if (largest == 0)
    return 1.0;
  double best = largest / qmax;
  if (clipping == WeightClipping::Max)
    return best;
  double bestError = INFINITY;
  for (int percent = 100; percent >= 30; --percent) {
    double scale = largest * percent / 100.0 / qmax;
    double error = 0;
    for (double w : weights) {
      double q = roundHalfAwayClamped(w / scale, -qmax, qmax) * scale;
      error += (w - q) * (w - q);
    }
    if (error < bestError) {
      bestError = error;
      best = scale;
    }
  }
  return best;
}

/// Fully-connected weights [N, K] in blocks of `group` along K, one
/// symmetric scale per channel and block (float32, as the type stores it).
/// The bias takes each channel's largest block scale.
QuantizedWeights QAQuantize::quantizeWeightsPerGroup(const Layer &layer,
                                                     StorageRange weightRange) {
  int64_t depth = layer.depth, channels = layer.channels;
  int64_t group = layer.scheme.groupSize;
  unsigned weightBits = layer.scheme.bits;
  int64_t groups = depth / group;
  ArrayRef<double> values = layer.weights;
  SmallVector<float> groupScales;
  SmallVector<double> channelScales(channels, 0);
  SmallVector<APInt> stored;
  for (int64_t n = 0; n < channels; ++n)
    for (int64_t j = 0; j < groups; ++j) {
      ArrayRef<double> block = values.slice(n * depth + j * group, group);
      auto scale = static_cast<float>(
          weightScale(block, weightRange.max, layer.scheme.clipping));
      groupScales.push_back(scale);
      channelScales[n] = std::max<double>(channelScales[n], scale);
      for (double w : block)
        stored.push_back(APInt(
            weightBits,
            roundHalfAwayClamped(w / scale, weightRange.min, weightRange.max),
            /*isSigned=*/true));
    }
  MLIRContext *context = &getContext();
  auto f32 = Float32Type::get(context);
  auto storage = IntegerType::get(context, weightBits);
  // Blocks of `group` along the last dimension of the weights ([N, K], or
  // OHWI filters: a scale per channel, filter position and block of C).
  SmallVector<int64_t> scaleShape(layer.weightsShape);
  scaleShape.back() /= group;
  SmallVector<int32_t> dimensions;
  SmallVector<int64_t> blockSizes;
  for (int64_t dim = 0, rank = scaleShape.size(); dim < rank; ++dim) {
    dimensions.push_back(dim);
    blockSizes.push_back(dim == rank - 1 ? group : 1);
  }
  Type type = quant::UniformQuantizedSubChannelType::get(
      quant::QuantizationFlags::Signed, storage, f32,
      DenseElementsAttr::get(RankedTensorType::get(scaleShape, f32),
                             ArrayRef<float>(groupScales)),
      DenseElementsAttr::get(RankedTensorType::get(scaleShape, storage),
                             APInt(weightBits, 0)),
      dimensions, blockSizes, weightRange.min, weightRange.max);
  return {type, stored, channelScales};
}

/// Weights per tensor (`weight-granularity=per-tensor`) or per channel, and
/// symmetric (narrow range, as the default) or asymmetric
/// (`weight-symmetric=false`: the full storage range over [min(w, 0),
/// max(w, 0)] with a zero point, as chooseQuantParams picks for values).
FailureOr<QuantizedWeights>
QAQuantize::quantizeWeightsAffine(const Layer &layer) {
  int64_t depth = layer.depth, channels = layer.channels;
  bool perTensor = layer.scheme.perTensor;
  bool symmetric = layer.scheme.symmetric;
  unsigned weightBits = layer.scheme.bits;
  StorageRange range = getStorageRange(weightBits, true, /*narrow=*/symmetric);
  int64_t units = perTensor ? 1 : channels,
          unitSize = perTensor ? channels * depth : depth;
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
  for (int64_t u = 0; u < units; ++u) {
    ArrayRef<double> values =
        ArrayRef(layer.weights).slice(u * unitSize, unitSize);
    if (symmetric) {
      scales.push_back(weightScale(values, range.max, layer.scheme.clipping));
      zeroPoints.push_back(0);
      continue;
    }
    auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    llvm::Expected<QuantParams> params =
        chooseQuantParams(std::min(*lo, 0.0), std::max(*hi, 0.0), weightBits,
                          /*isSigned=*/true, /*symmetric=*/false);
    if (!params)
      return layer.op->emitError() << llvm::toString(params.takeError());
    scales.push_back(params->scale);
    zeroPoints.push_back(params->zeroPoint);
  }
  SmallVector<APInt> stored(channels * depth);
  for (int64_t n = 0; n < channels; ++n)
    for (int64_t k = 0; k < depth; ++k) {
      int64_t u = perTensor ? 0 : n;
      int64_t q = roundHalfAwayClamped(
          std::round(layer.weights[n * depth + k] / scales[u]) + zeroPoints[u],
          range.min, range.max);
      int64_t at = layer.channelAxis == 0 ? n * depth + k : k * channels + n;
      stored[at] = APInt(weightBits, q, /*isSigned=*/true);
    }
  MLIRContext *context = &getContext();
  auto f32 = Float32Type::get(context);
  auto storage = IntegerType::get(context, weightBits);
  Type type = perTensor
                  ? Type(quant::UniformQuantizedType::get(
                        quant::QuantizationFlags::Signed, storage, f32,
                        scales[0], zeroPoints[0], range.min, range.max))
                  : Type(quant::UniformQuantizedPerAxisType::get(
                        quant::QuantizationFlags::Signed, storage, f32, scales,
                        zeroPoints, layer.channelAxis, range.min, range.max));
  return QuantizedWeights{type, stored, scales};
}

/// Trained weights as they are; others per output channel (channel-major
/// [N, K]): symmetric uniform, or at 1 bit binary signs (bit = w >= 0)
/// scaled by alpha = mean |w|, the alpha of least squared error for those
/// signs (XNOR-Net).
QuantizedWeights QAQuantize::quantizeWeights(const Layer &layer) {
  if (layer.trainedType) {
    Type element = layer.trainedType;
    SmallVector<double> scales;
    if (auto binary = dyn_cast<BinaryType>(element))
      scales.assign(binary.getAlphas().begin(), binary.getAlphas().end());
    else if (auto perAxis =
                 dyn_cast<quant::UniformQuantizedPerAxisType>(element))
      scales.assign(perAxis.getScales().begin(), perAxis.getScales().end());
    else
      scales = {cast<quant::UniformQuantizedType>(element).getScale()};
    return {element, layer.trainedStored, scales};
  }
  int64_t depth = layer.depth, channels = layer.channels;
  ArrayRef<double> values = layer.weights;
  unsigned weightBits = layer.scheme.bits;
  bool binary = layer.scheme.isBinary();
  StorageRange weightRange =
      binary ? StorageRange{0, 1}
             : getStorageRange(weightBits, true, /*narrow=*/true);
  if (layer.scheme.groupSize > 0)
    return quantizeWeightsPerGroup(layer, weightRange);
  SmallVector<double> scales(channels);
  SmallVector<APInt> stored(channels * depth);
  for (int64_t n = 0; n < channels; ++n) {
    ArrayRef<double> channel = values.slice(n * depth, depth);
    if (binary) {
      double sum = 0;
      for (double w : channel)
        sum += std::abs(w);
      scales[n] = sum > 0 ? sum / depth : 1.0;
    } else {
      scales[n] = weightScale(channel, weightRange.max, layer.scheme.clipping);
    }
    for (int64_t k = 0; k < depth; ++k) {
      int64_t q = binary
                      ? channel[k] >= 0
                      : roundHalfAwayClamped(channel[k] / scales[n],
                                             weightRange.min, weightRange.max);
      int64_t at = layer.channelAxis == 0 ? n * depth + k : k * channels + n;
      stored[at] = APInt(weightBits, q, /*isSigned=*/!binary);
    }
  }
  MLIRContext *context = &getContext();
  auto f32 = Float32Type::get(context);
  Type type = binary ? Type(BinaryType::get(f32, layer.channelAxis, scales))
                     : Type(quant::UniformQuantizedPerAxisType::get(
                           quant::QuantizationFlags::Signed,
                           IntegerType::get(context, weightBits), f32, scales,
                           SmallVector<int64_t>(channels, 0), layer.channelAxis,
                           weightRange.min, weightRange.max));
  return {type, stored, scales};
}

/// The scheme of `layer`'s weights: their #qa.precision, checked against
/// what the layer can take, else the pass options.
FailureOr<WeightScheme> QAQuantize::weightSchemeOf(const Layer &layer) {
  WeightScheme scheme;
  bool fullyConnected = isa<tosa::MatMulOp>(layer.op);
  if (PrecisionAttr precision = getValuePrecision(layer.floatWeights)) {
    auto refuse = [&] {
      return layer.op->emitError()
             << "qa-quantize cannot quantize the weights of this layer as "
             << precision << ": ";
    };
    bool binary = precision.getScheme() == Scheme::Binary;
    scheme.bits = precision.getBits();
    scheme.symmetric = precision.getSymmetric();
    if (!precision.getIsSigned())
      return refuse() << "weights are stored signed";
    // The output channels of the tosa layouts: matmul [1, K, N], conv2d
    // OHWI, depthwise [KH, KW, C, M] (channel c * M + m).
    int64_t axis = precision.getAxis();
    switch (precision.getGranularity()) {
    case Granularity::PerTensor:
      if (binary)
        return refuse() << "binary weights have one alpha per output channel";
      scheme.perTensor = true;
      break;
    case Granularity::PerChannel:
      if (fullyConnected                  ? axis != 2
          : isa<tosa::Conv2DOp>(layer.op) ? axis != 0
                                          : axis != 2 && axis != 3)
        return refuse() << "its output channels are axis "
                        << (fullyConnected                  ? "2"
                            : isa<tosa::Conv2DOp>(layer.op) ? "0"
                                                            : "2 or 3");
      break;
    case Granularity::PerGroup: {
      // Blocks along K of fully-connected weights [1, K, N], or along the
      // input channels C of OHWI convolution filters.
      bool conv = isa<tosa::Conv2DOp>(layer.op);
      if (!(fullyConnected && axis == 1) && !(conv && axis == 3))
        return refuse() << "groups are blocks along K (axis 1) of "
                           "fully-connected weights [1, K, N] or along C "
                           "(axis 3) of OHWI convolution filters";
      if (!scheme.symmetric)
        return refuse() << "per-group weights are symmetric";
      int64_t blocked = fullyConnected ? layer.depth : layer.weightsShape[3];
      if (precision.getGroupSize() >= blocked ||
          blocked % precision.getGroupSize() != 0)
        return refuse() << "the group size must divide "
                        << (fullyConnected ? "K" : "C") << " = " << blocked
                        << " and be smaller";
      scheme.groupSize = precision.getGroupSize();
      break;
    }
    }
  } else {
    scheme.bits = weightBits;
    scheme.perTensor = weightGranularity == "per-tensor";
    scheme.symmetric = weightSymmetric;
    // The option groups the fully-connected layers whose K it divides.
    if (fullyConnected && weightBits > 1 && weightGroupSize > 0 &&
        weightGroupSize < layer.depth && layer.depth % weightGroupSize == 0)
      scheme.groupSize = weightGroupSize;
  }
  scheme.clipping =
      weightClipping == "max" || (weightClipping == "auto" && scheme.bits >= 8)
          ? WeightClipping::Max
          : WeightClipping::Mse;
  return scheme;
}

LogicalResult QAQuantize::quantize(Layer layer, RoundingMode mode) {
  MLIRContext *context = &getContext();
  Location loc = layer.op->getLoc();
  OpBuilder builder(layer.last());
  Type f32 = builder.getF32Type();
  FailureOr<WeightScheme> chosenScheme = weightSchemeOf(layer);
  if (failed(chosenScheme))
    return failure();
  layer.scheme = *chosenScheme;

  // +-alpha cannot be 0: an all-zero (pruned) channel would add its inputs.
  if (layer.scheme.isBinary() && !layer.trainedType)
    for (int64_t n = 0; n < layer.channels; ++n)
      if (llvm::all_of(
              ArrayRef(layer.weights).slice(n * layer.depth, layer.depth),
              [](double w) { return w == 0; })) {
        for (Operation *op :
             {layer.biasAdd.getOperation(), layer.clamp.op.getOperation()})
          if (op)
            leftFloat.insert(op);
        stayFloat(layer.op)
            << "output channel " << n
            << " has only zero weights, which binary weights cannot express";
        return success();
      }

  FailureOr<bool> binaryIn = takesBinaryInput(layer);
  if (failed(binaryIn))
    return failure();
  FailureOr<Value> integers =
      *binaryIn ? binaryInput(builder, layer.input, layer.op, mode)
                : integerInput(builder, layer.input, layer.op, mode);
  if (failed(integers))
    return failure();
  Value quantizedInput = *integers;
  Type inElement = getElementTypeOrSelf(quantizedInput.getType());
  double inScale =
      isa<BinaryType>(inElement)
          ? cast<BinaryType>(inElement).getAlphas().front()
          : cast<quant::UniformQuantizedType>(inElement).getScale();

  int64_t channels = layer.channels;
  // Per-tensor or asymmetric weights when the options ask (and no groups).
  const WeightScheme &scheme = layer.scheme;
  bool affine = !layer.trainedType && !scheme.isBinary() &&
                scheme.groupSize == 0 &&
                (scheme.perTensor || !scheme.symmetric);
  FailureOr<QuantizedWeights> chosen =
      affine ? quantizeWeightsAffine(layer)
             : FailureOr<QuantizedWeights>(quantizeWeights(layer));
  if (failed(chosen))
    return failure();
  const QuantizedWeights &quantizedWeights = *chosen;
  ArrayRef<double> scales = quantizedWeights.scales;
  auto storageType = RankedTensorType::get(
      layer.weightsShape,
      builder.getIntegerType(getStorageBitWidth(quantizedWeights.type)));
  Value weights = ConstantOp::create(
      builder, loc,
      RankedTensorType::get(layer.weightsShape, quantizedWeights.type),
      DenseElementsAttr::get(storageType, quantizedWeights.stored));

  // Bias to i32 at scale_in * scale_w[n].
  Value bias;
  if (!layer.bias.empty()) {
    SmallVector<double> biasScales;
    SmallVector<APInt> biasValues;
    for (auto [n, value] : llvm::enumerate(layer.bias)) {
      double scale = inScale * scales[scales.size() == 1 ? 0 : n];
      double rounded = std::round(value / scale);
      if (!(rounded >= INT32_MIN && rounded <= INT32_MAX))
        // At the op that holds the bias: the add after a matmul, the conv.
        return (layer.biasAdd ? layer.biasAdd.getOperation() : layer.op)
                   ->emitError()
               << "bias of channel " << n << " does not fit i32 at scale "
               << scale;
      auto q = static_cast<int64_t>(rounded);
      if (n < scales.size())
        biasScales.push_back(scale);
      biasValues.push_back(APInt(32, q, /*isSigned=*/true));
    }
    // Per tensor like the weights, or per channel.
    Type biasType =
        biasScales.size() == 1
            ? Type(quant::UniformQuantizedType::get(
                  quant::QuantizationFlags::Signed, builder.getI32Type(), f32,
                  biasScales.front(), 0, INT32_MIN, INT32_MAX))
            : Type(quant::UniformQuantizedPerAxisType::get(
                  quant::QuantizationFlags::Signed, builder.getI32Type(), f32,
                  biasScales, SmallVector<int64_t>(channels, 0), 0, INT32_MIN,
                  INT32_MAX));
    bias = ConstantOp::create(
        builder, loc, RankedTensorType::get({channels}, biasType),
        DenseElementsAttr::get(
            RankedTensorType::get({channels}, builder.getI32Type()),
            biasValues));
  }

  // Result: from the range of the layer's last value; a clamp narrows the
  // storage range (fused ReLU / ReLU6).
  Value result = layer.last()->getResult(0);
  FailureOr<quant::UniformQuantizedType> outType =
      activationType(result, layer.last());
  if (failed(outType))
    return failure();
  auto resultType =
      RankedTensorType::get(cast<RankedTensorType>(result.getType()).getShape(),
                            narrowedBy(*outType, layer.clamp));
  auto rounding = RoundingModeAttr::get(context, mode);
  Value quantized;
  if (auto conv = dyn_cast<tosa::Conv2DOp>(layer.op))
    quantized = Conv2DOp::create(
        builder, loc, resultType, quantizedInput, weights, bias,
        builder.getDenseI64ArrayAttr(conv.getStride()),
        builder.getDenseI64ArrayAttr(conv.getPad()),
        builder.getDenseI64ArrayAttr(conv.getDilation()), rounding);
  else if (auto conv = dyn_cast<tosa::DepthwiseConv2DOp>(layer.op))
    quantized = DepthwiseConv2DOp::create(
        builder, loc, resultType, quantizedInput, weights, bias,
        builder.getDenseI64ArrayAttr(conv.getStride()),
        builder.getDenseI64ArrayAttr(conv.getPad()),
        builder.getDenseI64ArrayAttr(conv.getDilation()), rounding);
  else
    quantized = FullyConnectedOp::create(
        builder, loc, resultType, quantizedInput, weights, bias, rounding);
  replaceWithDequantized(builder, result, quantized);
  // Each op of the chain once, consumers first.
  for (Operation *op :
       {layer.clamp.op.getOperation(), layer.biasAdd.getOperation(), layer.op})
    if (op && op->use_empty())
      op->erase();
  return success();
}

/// A max or average pooling keeps its input's quantization: the maximum
/// commutes with it, and so does the average of a window (TFLite's rule).
LogicalResult QAQuantize::quantizePool(Operation *pool, RoundingMode mode) {
  OpBuilder builder(pool);
  Location loc = pool->getLoc();
  FailureOr<Value> input =
      integerInput(builder, pool->getOperand(0), pool, mode);
  if (failed(input))
    return failure();
  Value result = pool->getResult(0);
  auto resultType = cast<RankedTensorType>(result.getType());
  Type element = cast<RankedTensorType>(input->getType()).getElementType();
  auto quantizedType = RankedTensorType::get(resultType.getShape(), element);
  Value pooled;
  if (auto max = dyn_cast<tosa::MaxPool2dOp>(pool))
    pooled = MaxPool2DOp::create(builder, loc, quantizedType, *input,
                                 max.getKernelAttr(),
                                 builder.getDenseI64ArrayAttr(max.getStride()),
                                 builder.getDenseI64ArrayAttr(max.getPad()));
  else {
    auto avg = cast<tosa::AvgPool2dOp>(pool);
    pooled = AvgPool2DOp::create(builder, loc, quantizedType, *input,
                                 avg.getKernelAttr(),
                                 builder.getDenseI64ArrayAttr(avg.getStride()),
                                 builder.getDenseI64ArrayAttr(avg.getPad()),
                                 /*count_include_pad=*/UnitAttr(),
                                 RoundingModeAttr::get(&getContext(), mode));
  }
  replaceWithDequantized(builder, result, pooled);
  pool->erase();
  return success();
}

/// An activation function of a `floatInput` of at most 8 bits, ending at
/// `op`, as a
/// qa.table computed here: entry i is `function` at the real value of the
/// stored input `first + i` (first: the full storage type's minimum),
/// quantized to the result's type (from its range) with the rounding of
/// `mode` (half away from zero in the TFLite modes, as TFLite builds its
/// tables; half to even otherwise), saturated. Wider inputs would need more
/// than 256 entries: they stay float.
LogicalResult QAQuantize::quantizeTable(Value floatInput, Operation *op,
                                        function_ref<double(double)> function,
                                        RoundingMode mode) {
  OpBuilder builder(op);
  FailureOr<Value> input = integerInput(builder, floatInput, op, mode);
  if (failed(input))
    return failure();
  auto inType = cast<quant::UniformQuantizedType>(
      cast<RankedTensorType>(input->getType()).getElementType());
  if (inType.getStorageTypeIntegralWidth() > 8) {
    stayFloat(op) << "a lookup table takes inputs of at most 8 bits, this "
                     "one has "
                  << inType.getStorageTypeIntegralWidth();
    return success();
  }
  Value result = op->getResult(0);
  FailureOr<quant::UniformQuantizedType> outType = activationType(result, op);
  if (failed(outType))
    return failure();
  unsigned inBits = inType.getStorageTypeIntegralWidth();
  int64_t first = inType.isSigned() ? -(int64_t{1} << (inBits - 1)) : 0;
  unsigned outBits = outType->getStorageTypeIntegralWidth();
  SmallVector<APInt> entries;
  for (int64_t i = 0; i < (int64_t{1} << inBits); ++i) {
    double real = inType.getScale() * (first + i - inType.getZeroPoint());
    double scaled = function(real) / outType->getScale();
    double rounded = mode == RoundingMode::HalfEven ? std::nearbyint(scaled)
                                                    : std::round(scaled);
    int64_t stored = roundHalfAwayClamped(rounded + outType->getZeroPoint(),
                                          outType->getStorageTypeMin(),
                                          outType->getStorageTypeMax());
    entries.push_back(APInt(outBits, stored, /*isSigned=*/outType->isSigned()));
  }
  auto resultType = cast<RankedTensorType>(result.getType());
  Value table = TableOp::create(
      builder, op->getLoc(),
      RankedTensorType::get(resultType.getShape(), *outType), *input,
      cast<DenseIntElementsAttr>(DenseElementsAttr::get(
          RankedTensorType::get({static_cast<int64_t>(entries.size())},
                                builder.getIntegerType(outBits)),
          entries)));
  replaceWithDequantized(builder, result, table);
  op->erase();
  return success();
}

/// A tosa.add or tosa.mul of two activations (a residual connection, a
/// gate) becomes qa.add or qa.mul on their integers, each operand keeping
/// its own quantization, the result typed from its range (an add's ReLU /
/// ReLU6 fused into it).
LogicalResult QAQuantize::quantizeElementwise(Operation *op,
                                              RoundingMode mode) {
  OpBuilder builder(op);
  Location loc = op->getLoc();
  FailureOr<Value> lhs = integerInput(builder, op->getOperand(0), op, mode);
  FailureOr<Value> rhs = integerInput(builder, op->getOperand(1), op, mode);
  if (failed(lhs) || failed(rhs))
    return failure();
  FusedClamp clamp =
      isa<tosa::AddOp>(op) ? matchClamp(op->getResult(0)) : FusedClamp();
  Operation *last = clamp.op ? clamp.op.getOperation() : op;
  Value result = last->getResult(0);
  FailureOr<quant::UniformQuantizedType> outType = activationType(result, last);
  if (failed(outType))
    return failure();
  auto resultType = cast<RankedTensorType>(result.getType());
  auto quantizedType =
      RankedTensorType::get(resultType.getShape(), narrowedBy(*outType, clamp));
  auto rounding = RoundingModeAttr::get(&getContext(), mode);
  Value combined =
      isa<tosa::AddOp>(op)
          ? AddOp::create(builder, loc, quantizedType, *lhs, *rhs, rounding)
                .getResult()
          : MulOp::create(builder, loc, quantizedType, *lhs, *rhs, rounding)
                .getResult();
  replaceWithDequantized(builder, result, combined);
  if (clamp.op)
    clamp.op.erase();
  op->erase();
  return success();
}

/// A tosa.matmul of two activations (attention scores, batched products)
/// becomes qa.matmul on their integers, the result typed from its range.
LogicalResult QAQuantize::quantizeActivationProduct(tosa::MatMulOp matmul,
                                                    RoundingMode mode) {
  OpBuilder builder(matmul);
  FailureOr<Value> lhs = integerInput(builder, matmul.getA(), matmul, mode);
  FailureOr<Value> rhs = integerInput(builder, matmul.getB(), matmul, mode);
  if (failed(lhs) || failed(rhs))
    return failure();
  Value result = matmul.getResult();
  FailureOr<RankedTensorType> type = quantizedTypeOf(result, matmul);
  if (failed(type))
    return failure();
  replaceWithDequantized(
      builder, result,
      MatMulOp::create(builder, matmul.getLoc(), *type, *lhs, *rhs,
                       RoundingModeAttr::get(&getContext(), mode)));
  matmul.erase();
  return success();
}

/// A tosa.concat becomes qa.concat of its operands' integers, each keeping
/// its quantization (the lowering requantizes those that differ from the
/// result's, typed from its range).
LogicalResult QAQuantize::quantizeConcat(tosa::ConcatOp concat,
                                         RoundingMode mode) {
  OpBuilder builder(concat);
  SmallVector<Value> inputs;
  for (Value input : concat.getInput1()) {
    FailureOr<Value> integers = integerInput(builder, input, concat, mode);
    if (failed(integers))
      return failure();
    inputs.push_back(*integers);
  }
  Value result = concat.getResult();
  FailureOr<RankedTensorType> type = quantizedTypeOf(result, concat);
  if (failed(type))
    return failure();
  replaceWithDequantized(
      builder, result,
      ConcatOp::create(builder, concat.getLoc(), *type, inputs,
                       builder.getI64IntegerAttr(concat.getAxis()),
                       RoundingModeAttr::get(&getContext(), mode)));
  concat.erase();
  return success();
}

/// x * relu6(x + 3), hard-swish times 6, and a constant factor after it (1/6
/// for hard-swish itself), as one table of x; the rest of the pattern is
/// dead then.
LogicalResult QAQuantize::quantizeHardSwish(Operation *mul, RoundingMode mode) {
  Value x = isRelu6OfXPlus3(mul->getOperand(1), mul->getOperand(0)) &&
                    mul->getOperand(0).getType() == mul->getResult(0).getType()
                ? mul->getOperand(0)
                : mul->getOperand(1);
  Operation *last = mul;
  double factor = 1.0;
  Value product = mul->getResult(0);
  if (product.hasOneUse())
    if (auto scale = dyn_cast<tosa::MulOp>(*product.getUsers().begin())) {
      Value other =
          scale.getInput1() == product ? scale.getInput2() : scale.getInput1();
      std::optional<double> constant = constantScalar(other);
      if (constant && scale.getType() == product.getType()) {
        factor = *constant;
        last = scale;
      }
    }
  return quantizeTable(
      x, last,
      [factor](double v) { return v * std::clamp(v + 3.0, 0.0, 6.0) * factor; },
      mode);
}

static double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }
static double hyperbolicTangent(double x) { return std::tanh(x); }

/// Moves a dequantize below a reshape (static shapes), so that the reshape
/// moves integers: tensor.collapse_shape to one dimension, then
/// tensor.expand_shape to the result shape. Returns whether it did.
static bool reshapeIntegers(tosa::ReshapeOp reshape) {
  auto dequantize = reshape.getInput1().getDefiningOp<DequantizeOp>();
  auto resultType = dyn_cast<RankedTensorType>(reshape.getType());
  if (!dequantize || !resultType || !resultType.hasStaticShape() ||
      resultType.getRank() == 0)
    return false;
  Value integers = dequantize.getInput();
  auto sourceType = cast<RankedTensorType>(integers.getType());
  // Per-axis scales would follow a dimension the reshape moves.
  if (!sourceType.hasStaticShape() || sourceType.getRank() == 0 ||
      !isa<quant::UniformQuantizedType>(sourceType.getElementType()))
    return false;
  OpBuilder builder(reshape);
  Location loc = reshape.getLoc();
  auto allDimensions = [](int64_t rank) {
    ReassociationIndices group;
    for (int64_t i = 0; i < rank; ++i)
      group.push_back(i);
    return SmallVector<ReassociationIndices>{group};
  };
  if (sourceType.getRank() != 1)
    integers = tensor::CollapseShapeOp::create(
        builder, loc, integers, allDimensions(sourceType.getRank()));
  if (resultType.getRank() != 1)
    integers = tensor::ExpandShapeOp::create(
        builder, loc,
        RankedTensorType::get(resultType.getShape(),
                              sourceType.getElementType()),
        integers, allDimensions(resultType.getRank()));
  replaceWithDequantized(builder, reshape.getResult(), integers);
  reshape.erase();
  return true;
}

/// The stored values of float `values` quantized as `type` would quantize
/// them at run time: float32 division by the element's channel scale,
/// rounding of `mode`, zero point, saturation (for binary, x >= 0). Only
/// per-tensor and per-axis types (nullopt otherwise).
static std::optional<SmallVector<APInt>>
quantizeAtCompileTime(ArrayRef<double> values, RankedTensorType type,
                      RoundingMode mode) {
  std::optional<ElementQuantization> q = elementQuantizationOf(type);
  if (!q)
    return std::nullopt;
  Type element = type.getElementType();
  unsigned bits = getStorageBitWidth(element);
  StorageRange range = getStorageRange(element);
  bool binary = isa<BinaryType>(element);
  SmallVector<APInt> stored;
  for (auto [i, value] : llvm::enumerate(values)) {
    int64_t v = value >= 0;
    if (!binary) {
      size_t c = q->of(i);
      float scaled =
          static_cast<float>(value) / static_cast<float>(q->scales[c]);
      double rounded = mode == RoundingMode::HalfEven ? std::nearbyint(scaled)
                                                      : std::round(scaled);
      // As qa.quantize at run time: NaN is the zero point.
      v = std::isnan(value) ? q->zeroPoints[c]
                            : roundHalfAwayClamped(rounded + q->zeroPoints[c],
                                                   range.min, range.max);
    }
    stored.push_back(APInt(bits, v, /*isSigned=*/range.min < 0));
  }
  return stored;
}

/// Brings a trained graph into the form the layers consume: each
/// qa.fake_quant becomes the qa.quantize / qa.dequantize pair it simulates,
/// and a qa.quantize of a float constant (trained weights) becomes the
/// qa.constant of its stored values.
static void expandTrainedQuantization(func::FuncOp function) {
  function.walk([](FakeQuantOp fakeQuant) {
    OpBuilder builder(fakeQuant);
    RankedTensorType type = fakeQuant.getInput().getType();
    auto quantize = QuantizeOp::create(
        builder, fakeQuant.getLoc(),
        RankedTensorType::get(type.getShape(), fakeQuant.getType()),
        fakeQuant.getInput(), fakeQuant.getRoundingAttr());
    fakeQuant.replaceAllUsesWith(
        DequantizeOp::create(builder, fakeQuant.getLoc(), type, quantize)
            .getResult());
    fakeQuant.erase();
  });
  function.walk([](QuantizeOp quantize) {
    DenseFPElementsAttr values = constantOf(quantize.getInput());
    RankedTensorType type = quantize.getOutput().getType();
    std::optional<SmallVector<APInt>> stored =
        values ? quantizeAtCompileTime(valuesOf(values), type,
                                       quantize.getRounding())
               : std::nullopt;
    if (!stored)
      return;
    OpBuilder builder(quantize);
    auto storage = RankedTensorType::get(
        type.getShape(),
        builder.getIntegerType(getStorageBitWidth(type.getElementType())));
    quantize.replaceAllUsesWith(
        ConstantOp::create(builder, quantize.getLoc(), type,
                           DenseElementsAttr::get(storage, *stored))
            .getResult());
    quantize.erase();
  });
}

/// qa.quantize(qa.dequantize(x)) back to the same quantization is x itself
/// (a trained graph's pair between two layers), also when x's storage range
/// is a narrowed part of it (a fused ReLU), provided only qa ops use it.
static void foldRequantizingPairs(func::FuncOp function) {
  function.walk([](QuantizeOp quantize) {
    auto dequantize = quantize.getInput().getDefiningOp<DequantizeOp>();
    if (!dequantize)
      return;
    auto from = dyn_cast<quant::UniformQuantizedType>(
        cast<RankedTensorType>(dequantize.getInput().getType())
            .getElementType());
    auto to = dyn_cast<quant::UniformQuantizedType>(
        quantize.getOutput().getType().getElementType());
    bool same = from && to && from.getScale() == to.getScale() &&
                from.getZeroPoint() == to.getZeroPoint() &&
                from.getStorageType() == to.getStorageType() &&
                from.isSigned() == to.isSigned() &&
                from.getStorageTypeMin() >= to.getStorageTypeMin() &&
                from.getStorageTypeMax() <= to.getStorageTypeMax();
    // Pooling and clamp results keep their input's type: a narrowed input
    // would no longer match them.
    bool usersTakeIt = llvm::all_of(quantize->getUsers(), [&](Operation *user) {
      return isa<QADialect>(user->getDialect()) &&
             (from == to || !isa<MaxPool2DOp, AvgPool2DOp, ClampOp>(user));
    });
    if (same && usersTakeIt)
      quantize.replaceAllUsesWith(dequantize.getInput());
  });
}

/// Moves a per-tensor dequantize below a transpose, so that the transpose
/// moves integers (linalg.transpose). Returns whether it did.
static bool transposeIntegers(tosa::TransposeOp transpose) {
  auto dequantize = transpose.getInput1().getDefiningOp<DequantizeOp>();
  if (!dequantize)
    return false;
  Value integers = dequantize.getInput();
  auto sourceType = cast<RankedTensorType>(integers.getType());
  if (!isa<quant::UniformQuantizedType>(sourceType.getElementType()))
    return false;
  OpBuilder builder(transpose);
  auto resultType = cast<RankedTensorType>(transpose.getType());
  Value init = tensor::EmptyOp::create(builder, transpose.getLoc(),
                                       resultType.getShape(),
                                       sourceType.getElementType());
  SmallVector<int64_t> permutation(transpose.getPerms().begin(),
                                   transpose.getPerms().end());
  Value moved = linalg::TransposeOp::create(builder, transpose.getLoc(),
                                            integers, init, permutation)
                    .getResult()[0];
  replaceWithDequantized(builder, transpose.getResult(), moved);
  transpose.erase();
  return true;
}

void QAQuantize::runOnOperation() {
  func::FuncOp function = getOperation();
  leftFloat.clear();
  floatLeft = false;
  std::optional<RoundingMode> mode = symbolizeRoundingMode(rounding);
  if (!mode) {
    function.emitError() << "unknown rounding '" << rounding
                         << "': expected tflite_double, tflite_single or "
                            "half_even";
    return signalPassFailure();
  }
  if (!llvm::is_contained({1u, 2u, 4u, 8u, 16u}, activationBits.getValue()) ||
      !llvm::is_contained({1u, 2u, 4u, 8u, 16u}, weightBits.getValue())) {
    function.emitError()
        << "activation-bits and weight-bits must be 1 (binary), 2, 4, 8 or 16";
    return signalPassFailure();
  }

  if (weightGranularity != "per-channel" && weightGranularity != "per-tensor") {
    function.emitError() << "unknown weight-granularity '" << weightGranularity
                         << "': expected per-channel or per-tensor";
    return signalPassFailure();
  }
  if (weightClipping != "max" && weightClipping != "mse" &&
      weightClipping != "auto") {
    function.emitError() << "unknown weight-clipping '" << weightClipping
                         << "': expected auto, max or mse";
    return signalPassFailure();
  }

  expandTrainedQuantization(function);

  // In program order, so that each op finds its producers quantized.
  SmallVector<Operation *> candidates;
  function.walk([&](Operation *op) {
    // Two activations (not a bias: a layer takes those along).
    if (isa<tosa::AddOp, tosa::MulOp>(op) &&
        !constantValues(op->getOperand(0)) &&
        !constantValues(op->getOperand(1)))
      candidates.push_back(op);
    if (isa<tosa::MatMulOp, tosa::Conv2DOp, tosa::DepthwiseConv2DOp,
            tosa::MaxPool2dOp, tosa::AvgPool2dOp, tosa::ConcatOp,
            tosa::ReshapeOp, tosa::TransposeOp, tosa::SigmoidOp, tosa::TanhOp>(
            op))
      candidates.push_back(op);
  });
  for (Operation *op : candidates) {
    // Integer tensor arithmetic (shapes, indices) is not quantized.
    if (!isa<FloatType>(getElementTypeOrSelf(op->getResult(0).getType())))
      continue;
    auto isStaticTensor = [](Type type) {
      auto tensor = dyn_cast<RankedTensorType>(type);
      return tensor && tensor.hasStaticShape();
    };
    bool allStatic = isStaticTensor(op->getResult(0).getType()) &&
                     llvm::all_of(op->getOperandTypes(), [&](Type type) {
                       return !isa<TensorType>(type) || isStaticTensor(type);
                     });
    if (!allStatic) {
      stayFloat(op) << "qa-quantize needs tensors of static shape";
      continue;
    }
    if (op->hasAttr(QADialect::kKeepFloatAttrName)) {
      keptFloat(op);
      // Nor are its fused bias add and clamp "without a quantized form".
      if (std::optional<Layer> layer = matchLayer(op))
        for (Operation *fused :
             {layer->biasAdd.getOperation(), layer->clamp.op.getOperation()})
          if (fused)
            leftFloat.insert(fused);
      continue;
    }
    if (auto transpose = dyn_cast<tosa::TransposeOp>(op)) {
      if (!transposeIntegers(transpose))
        stayFloat(transpose) << "a transpose moves integers only when its "
                                "input comes from a quantized op, per tensor";
      continue;
    }
    if (auto reshape = dyn_cast<tosa::ReshapeOp>(op)) {
      if (!reshapeIntegers(reshape))
        stayFloat(reshape) << "a reshape moves integers only when its input "
                              "comes from a quantized op, per tensor, and both "
                              "shapes are static";
      continue;
    }
    if (isa<tosa::MaxPool2dOp, tosa::AvgPool2dOp>(op)) {
      if (failed(quantizePool(op, *mode)))
        return signalPassFailure();
      continue;
    }
    if (auto concat = dyn_cast<tosa::ConcatOp>(op)) {
      if (failed(quantizeConcat(concat, *mode)))
        return signalPassFailure();
      continue;
    }
    // Hard-swish, where the table keeps x's shape (no broadcasting in it).
    auto isHardSwishOf = [&](unsigned factor, unsigned x) {
      return isRelu6OfXPlus3(op->getOperand(factor), op->getOperand(x)) &&
             op->getOperand(x).getType() == op->getResult(0).getType();
    };
    if (isa<tosa::MulOp>(op) && (isHardSwishOf(0, 1) || isHardSwishOf(1, 0))) {
      if (failed(quantizeHardSwish(op, *mode)))
        return signalPassFailure();
      continue;
    }
    if (isa<tosa::AddOp, tosa::MulOp>(op)) {
      if (failed(quantizeElementwise(op, *mode)))
        return signalPassFailure();
      continue;
    }
    if (isa<tosa::SigmoidOp, tosa::TanhOp>(op)) {
      if (failed(quantizeTable(
              op->getOperand(0), op,
              isa<tosa::SigmoidOp>(op) ? sigmoid : hyperbolicTangent, *mode)))
        return signalPassFailure();
      continue;
    }
    std::optional<Layer> layer = matchLayer(op);
    if (!layer) {
      auto matmul = dyn_cast<tosa::MatMulOp>(op);
      if (matmul && !constantValues(matmul.getB())) {
        if (failed(quantizeActivationProduct(matmul, *mode)))
          return signalPassFailure();
        continue;
      }
      stayFloat(op) << "qa-quantize handles a tosa.matmul by constant weights "
                       "with batch 1 or of two activations, and convolutions "
                       "with constant weights and bias";
      continue;
    }
    if (failed(quantize(*layer, *mode)))
      return signalPassFailure();
  }
  foldRequantizingPairs(function);
  // Bypassed dequantizes and float weights are dead now.
  SmallVector<Operation *> ops;
  function.walk([&](Operation *op) { ops.push_back(op); });
  for (Operation *op : llvm::reverse(ops))
    if (isOpTriviallyDead(op))
      op->erase();
  // What remains of the float compute graph, the user should see: its tosa
  // ops with float results; without float-fallback, any op that computes
  // with floats (an argmax of float logits too), but the graph's boundary.
  auto computesWithFloats = [&](Operation *op) {
    auto isFloat = [](Type type) {
      return isa<FloatType>(getElementTypeOrSelf(type));
    };
    if (floatFallback)
      return isa<tosa::TosaDialect>(op->getDialect()) && !op->use_empty() &&
             isFloat(op->getResult(0).getType());
    return !isa<QuantizeOp, DequantizeOp, func::ReturnOp>(op) &&
           (llvm::any_of(op->getOperandTypes(), isFloat) ||
            llvm::any_of(op->getResultTypes(), isFloat));
  };
  function.walk([&](Operation *op) {
    if (op == function || op->hasTrait<::mlir::OpTrait::ConstantLike>() ||
        leftFloat.contains(op) || !computesWithFloats(op))
      return;
    if (op->hasAttr(QADialect::kKeepFloatAttrName))
      keptFloat(op);
    else
      stayFloat(op) << "qa-quantize has no quantized form for '"
                    << op->getName() << "' yet";
  });
  if (floatLeft)
    signalPassFailure();
}
