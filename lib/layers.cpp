#include "lib/layers.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "lib/errors.hpp"
#include "lib/kernels.hpp"
#include "lib/ops.hpp"
#include "lib/vector_math.hpp"

namespace wb {
namespace {

void expect_rows(const Tensor& t, const char* op, const char* what) {
    if (t.dim() != 2) throw ShapeError(fmt::format("{}: {} must be 2-D, got shape {}", op, what, to_string(t.shape())));
}

using detail::check_indices;

}  // namespace

Tensor linear_forward(const Tensor& inp, const Tensor& weight, const Tensor& bias) {
    const Tensor out = matmul(inp, T(weight));
    return bias.numel() == 0 ? out : out + bias;
}

Tensor linear_backward(const Tensor& dout, const Tensor& inp, const Tensor& weight, Tensor& dweight, Tensor* dbias) {
    if (dout.dim() < 2 || inp.dim() != dout.dim())
        throw ShapeError(fmt::format("linear_backward: dout {} and inp {} must be (..., out) and (..., in) with the same "
                                     "leading dimensions",
                                     to_string(dout.shape()), to_string(inp.shape())));
    // (B, T, out) and (B, T, in) are B*T rows of each
    const std::size_t in = inp.size(-1), out = dout.size(-1), rows = dout.numel() / out;
    const Tensor dout2 = dout.reshape({rows, out}), inp2 = inp.reshape({inp.numel() / in, in});
    dweight += matmul(T(dout2), inp2);
    if (dbias) *dbias += sum(dout2, 0);
    Shape dinp_shape = dout.shape();
    dinp_shape.back() = weight.size(1);
    return matmul(dout2, weight).reshape(dinp_shape);
}

Tensor embedding_forward(const Tensor& table, const std::vector<std::size_t>& ix) {
    expect_rows(table, "embedding", "the table");
    check_indices(ix, table.size(0), "embedding");
    const std::size_t C = table.size(1);
    Tensor out(Shape{ix.size(), C});
    detail::embedding_forward(out.data(), table.data(), ix, C);
    return out;
}

void embedding_backward(const Tensor& dout, const std::vector<std::size_t>& ix, Tensor& dtable) {
    expect_rows(dtable, "embedding_backward", "dtable");
    check_indices(ix, dtable.size(0), "embedding_backward");
    const std::size_t C = dtable.size(1);
    if (dout.numel() != ix.size() * C)
        throw ShapeError(fmt::format("embedding_backward: dout of shape {} does not hold {} rows of {}",
                                     to_string(dout.shape()), ix.size(), C));
    detail::embedding_backward(dtable.data(), dout.data(), ix, C);
}

Tensor tanh_forward(const Tensor& inp) {
    Tensor out(inp.shape());
    detail::tanh(inp.data(), out.data(), inp.numel());
    return out;
}

Tensor tanh_backward(const Tensor& dout, const Tensor& out) {
    if (dout.shape() != out.shape())
        throw ShapeError(fmt::format("tanh_backward: dout {} and out {} differ in shape", to_string(dout.shape()),
                                     to_string(out.shape())));
    Tensor dinp(dout.shape());
    detail::tanh_backward(dinp.data(), dout.data(), out.data(), dout.numel());
    return dinp;
}

namespace {

constexpr float kGeluScale = 0.7978845608028654f;  // sqrt(2 / pi)
constexpr float kGeluCubic = 0.044715f;

// t[i] = tanh(sqrt(2/pi) (x + 0.044715 x^3)), which forward and backward both need
std::vector<float> gelu_tanh(const Tensor& inp) {
    std::vector<float> t(inp.numel());
    const float* x = inp.data();
    for (std::size_t i = 0; i < t.size(); ++i) t[i] = kGeluScale * (x[i] + kGeluCubic * x[i] * x[i] * x[i]);
    detail::tanh(t.data(), t.data(), t.size());
    return t;
}

}  // namespace

Tensor gelu_forward(const Tensor& inp) {
    const std::vector<float> t = gelu_tanh(inp);
    Tensor out(inp.shape());
    const float* x = inp.data();
    float* y = out.data();
    for (std::size_t i = 0; i < t.size(); ++i) y[i] = 0.5f * x[i] * (1.0f + t[i]);
    return out;
}

Tensor gelu_backward(const Tensor& dout, const Tensor& inp) {
    if (dout.shape() != inp.shape())
        throw ShapeError(fmt::format("gelu_backward: dout {} and inp {} differ in shape", to_string(dout.shape()),
                                     to_string(inp.shape())));
    const std::vector<float> t = gelu_tanh(inp);
    Tensor dinp(inp.shape());
    const float *x = inp.data(), *dy = dout.data();
    float* dx = dinp.data();
    for (std::size_t i = 0; i < t.size(); ++i) {
        // d/dx [0.5 x (1 + t)] = 0.5 (1 + t) + 0.5 x (1 - t^2) du/dx, u = sqrt(2/pi) (x + 0.044715 x^3)
        const float du = kGeluScale * (1.0f + 3.0f * kGeluCubic * x[i] * x[i]);
        dx[i] = dy[i] * (0.5f * (1.0f + t[i]) + 0.5f * x[i] * (1.0f - t[i] * t[i]) * du);
    }
    return dinp;
}

namespace {

void expect_norm_shapes(const char* op, const Tensor& inp, const Tensor& weight, const Tensor& bias) {
    if (inp.dim() == 0 || weight.dim() != 1 || weight.numel() != inp.size(-1) || bias.shape() != weight.shape())
        throw ShapeError(fmt::format("{}: weight {} and bias {} must both be ({}), the last dimension of inp {}", op,
                                     to_string(weight.shape()), to_string(bias.shape()),
                                     inp.dim() == 0 ? 0 : inp.size(-1), to_string(inp.shape())));
}

}  // namespace

Tensor layer_norm_forward(const Tensor& inp, const Tensor& weight, const Tensor& bias, Tensor& mean, Tensor& rstd,
                          float eps) {
    expect_norm_shapes("layer_norm", inp, weight, bias);
    const std::size_t C = inp.size(-1), rows = inp.numel() / C;
    Tensor out(inp.shape());
    mean = Tensor(Shape{rows});
    rstd = Tensor(Shape{rows});
    for (std::size_t r = 0; r < rows; ++r) {
        const float* x = inp.data() + r * C;
        float* y = out.data() + r * C;
        // two passes (mean, then squared distances) in double: a row of large, close
        // values would lose its variance to cancellation in one float pass
        double m = 0.0, v = 0.0;
        for (std::size_t c = 0; c < C; ++c) m += x[c];
        m /= static_cast<double>(C);
        for (std::size_t c = 0; c < C; ++c) v += (x[c] - m) * (x[c] - m);
        v /= static_cast<double>(C);
        const auto s = static_cast<float>(1.0 / std::sqrt(v + eps));
        const auto mf = static_cast<float>(m);
        for (std::size_t c = 0; c < C; ++c) y[c] = (x[c] - mf) * s * weight.data()[c] + bias.data()[c];
        mean.data()[r] = mf;
        rstd.data()[r] = s;
    }
    return out;
}

Tensor layer_norm_backward(const Tensor& dout, const Tensor& inp, const Tensor& weight, const Tensor& mean,
                           const Tensor& rstd, Tensor& dweight, Tensor& dbias) {
    expect_norm_shapes("layer_norm_backward", inp, weight, dbias);
    const std::size_t C = inp.size(-1), rows = inp.numel() / C;
    if (dout.shape() != inp.shape() || mean.numel() != rows || rstd.numel() != rows || dweight.shape() != weight.shape())
        throw ShapeError(fmt::format("layer_norm_backward: dout {}, mean {}, rstd {} and dweight {} do not fit inp {}",
                                     to_string(dout.shape()), to_string(mean.shape()), to_string(rstd.shape()),
                                     to_string(dweight.shape()), to_string(inp.shape())));
    Tensor dinp(inp.shape());
    std::vector<float> xhat(C), dxhat(C);
    for (std::size_t r = 0; r < rows; ++r) {
        const float *x = inp.data() + r * C, *dy = dout.data() + r * C;
        const float m = mean.data()[r], s = rstd.data()[r];
        // y = xhat * w + b, xhat = (x - mean) * rstd. Through the normalisation:
        // dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))
        float mean_dxhat = 0.0f, mean_dxhat_xhat = 0.0f;
        for (std::size_t c = 0; c < C; ++c) {
            xhat[c] = (x[c] - m) * s;
            dxhat[c] = dy[c] * weight.data()[c];
            dweight.data()[c] += dy[c] * xhat[c];
            dbias.data()[c] += dy[c];
            mean_dxhat += dxhat[c];
            mean_dxhat_xhat += dxhat[c] * xhat[c];
        }
        mean_dxhat /= static_cast<float>(C);
        mean_dxhat_xhat /= static_cast<float>(C);
        float* dx = dinp.data() + r * C;
        for (std::size_t c = 0; c < C; ++c) dx[c] = s * (dxhat[c] - mean_dxhat - xhat[c] * mean_dxhat_xhat);
    }
    return dinp;
}

float cross_entropy_forward(const Tensor& logits, const std::vector<std::size_t>& targets, Tensor& probs) {
    expect_rows(logits, "cross_entropy", "logits");
    if (targets.size() != logits.size(0) || targets.empty())
        throw ShapeError(fmt::format("cross_entropy: {} targets for logits of shape {} (needs one per row, at least one)",
                                     targets.size(), to_string(logits.shape())));
    check_indices(targets, logits.size(1), "cross_entropy");
    if (probs.shape() != logits.shape()) probs = Tensor(logits.shape());
    return detail::cross_entropy_forward(probs.data(), logits.data(), targets, logits.size(1));
}

Tensor cross_entropy_backward(const Tensor& probs, const std::vector<std::size_t>& targets) {
    expect_rows(probs, "cross_entropy_backward", "probs");
    if (targets.size() != probs.size(0) || targets.empty())
        throw ShapeError(fmt::format("cross_entropy_backward: {} targets for probs of shape {} (needs one per row)",
                                     targets.size(), to_string(probs.shape())));
    check_indices(targets, probs.size(1), "cross_entropy_backward");
    Tensor dlogits(probs.shape());
    detail::cross_entropy_backward(dlogits.data(), probs.data(), targets, probs.size(1));
    return dlogits;
}

}  // namespace wb
