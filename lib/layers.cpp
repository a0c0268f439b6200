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
    if (inp.dim() == 0 || weight.dim() != 2 || inp.size(-1) != weight.size(1))
        throw ShapeError(fmt::format("linear: input of shape {} for a weight of shape {} (out, in)",
                                     to_string(inp.shape()), to_string(weight.shape())));
    if (bias.numel() != 0 && bias.shape() != Shape{weight.size(0)})
        throw ShapeError(fmt::format("linear: bias of shape {} for a weight of shape {}", to_string(bias.shape()),
                                     to_string(weight.shape())));
    // any leading dimensions (B, T) are rows alike
    const std::size_t in = weight.size(1), out = weight.size(0), rows = inp.numel() / in;
    Shape out_shape = inp.shape();
    out_shape.back() = out;
    Tensor y(out_shape);
    detail::linear_forward(y.data(), inp.data(), weight.data(), bias.numel() == 0 ? nullptr : bias.data(), rows, in,
                           out);
    return y;
}

Tensor linear_backward(const Tensor& dout, const Tensor& inp, const Tensor& weight, Tensor& dweight, Tensor* dbias) {
    if (dout.dim() < 2 || inp.dim() != dout.dim())
        throw ShapeError(fmt::format("linear_backward: dout {} and inp {} must be (..., out) and (..., in) with the same "
                                     "leading dimensions",
                                     to_string(dout.shape()), to_string(inp.shape())));
    // (B, T, out) and (B, T, in) are B*T rows of each
    const std::size_t in = inp.size(-1), out = dout.size(-1), rows = dout.numel() / out;
    if (weight.shape() != Shape{out, in} || dweight.shape() != weight.shape() || inp.numel() != rows * in ||
        (dbias && dbias->shape() != Shape{out}))
        throw ShapeError(fmt::format("linear_backward: dout {}, inp {}, weight {}, dweight {} do not fit together",
                                     to_string(dout.shape()), to_string(inp.shape()), to_string(weight.shape()),
                                     to_string(dweight.shape())));
    Shape dinp_shape = dout.shape();
    dinp_shape.back() = in;
    Tensor dinp(dinp_shape);
    detail::linear_backward(dinp.data(), false, dweight.data(), dbias ? dbias->data() : nullptr, dout.data(),
                            inp.data(), weight.data(), rows, in, out);
    return dinp;
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

// The loops are detail::gelu_forward and gelu_backward (lib/kernels.cpp), which
// FeedForward calls on its buffers; these allocate.
Tensor gelu_forward(const Tensor& inp) {
    Tensor out(inp.shape());
    std::vector<float> t(inp.numel());  // tanh(...), which only the backward would need
    detail::gelu_forward(out.data(), t.data(), inp.data(), inp.numel());
    return out;
}

Tensor gelu_backward(const Tensor& dout, const Tensor& inp) {
    if (dout.shape() != inp.shape())
        throw ShapeError(fmt::format("gelu_backward: dout {} and inp {} differ in shape", to_string(dout.shape()),
                                     to_string(inp.shape())));
    // the forward's tanh again (a layer keeps it instead: FeedForward)
    std::vector<float> y(inp.numel()), t(inp.numel());
    detail::gelu_forward(y.data(), t.data(), inp.data(), inp.numel());
    Tensor dinp(inp.shape());
    detail::gelu_backward(dinp.data(), dout.data(), inp.data(), t.data(), inp.numel());
    return dinp;
}

namespace {

// One value per row: inp's shape without its last dimension ((B, T, C) -> (B, T)).
Shape row_shape(const Shape& shape) { return Shape(shape.begin(), shape.end() - 1); }

// inp must have a last dimension C of at least one channel, and `param` the shape (C).
std::size_t layer_norm_channels(const Tensor& inp, const char* op) {
    if (inp.dim() == 0 || inp.size(-1) == 0)
        throw ShapeError(fmt::format("{}: inp must have a last dimension of at least 1 channel, got shape {}", op,
                                     to_string(inp.shape())));
    return inp.size(-1);
}

void expect_channels(const Tensor& param, const char* what, const Tensor& inp, const char* op) {
    if (param.shape() != Shape{inp.size(-1)})
        throw ShapeError(fmt::format("{}: {} of shape {} does not match the last dimension of inp {}", op, what,
                                     to_string(param.shape()), to_string(inp.shape())));
}

// The sum of term(c) over the C channels of a row, in double, kept as four running
// sums side by side. One running sum is a chain of additions, each waiting for the
// one before (the compiler may not reorder them); four independent chains keep the
// adder busy: LayerNorm's forward on (512, 64) went from 42 to 24 us.
//
// Why double rather than float (llm.c sums in float): the mean and variance then
// come out exact to far below float rounding, whatever order torch adds in, so lib
// and torch differ only in the last roundings of the float steps. It costs little:
// float sums in eight lanes measured 40 us for forward + backward at (512, 64),
// these 51 us, and torch 1.13 called from Python about 50 us.
template <typename Term>
double row_sum(std::size_t C, Term term) {
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    std::size_t c = 0;
    for (; c + 4 <= C; c += 4) {
        s0 += term(c);
        s1 += term(c + 1);
        s2 += term(c + 2);
        s3 += term(c + 3);
    }
    for (; c < C; ++c) s0 += term(c);
    return (s0 + s1) + (s2 + s3);
}

}  // namespace

Tensor layer_norm_forward(const Tensor& inp, const Tensor& weight, const Tensor& bias, Tensor& mean, Tensor& rstd,
                          float eps) {
    const std::size_t C = layer_norm_channels(inp, "layer_norm");
    expect_channels(weight, "weight", inp, "layer_norm");
    expect_channels(bias, "bias", inp, "layer_norm");
    const Shape stats_shape = row_shape(inp.shape());
    if (mean.shape() != stats_shape) mean = Tensor(stats_shape);
    if (rstd.shape() != stats_shape) rstd = Tensor(stats_shape);
    Tensor out(inp.shape());
    const std::size_t rows = inp.numel() / C;
    const float *w = weight.data(), *b = bias.data();
    for (std::size_t r = 0; r < rows; ++r) {
        const float* x = inp.data() + r * C;
        float* y = out.data() + r * C;
        // Two passes, the mean first and then the spread around it: the shortcut
        // E[x^2] - E[x]^2 cancels badly when a row sits far from 0.
        const double m = row_sum(C, [x](std::size_t c) { return static_cast<double>(x[c]); }) / static_cast<double>(C);
        const double sum_sq = row_sum(C, [x, m](std::size_t c) {
            const double d = x[c] - m;
            return d * d;
        });
        const double var = sum_sq / static_cast<double>(C);  // biased: / C, as torch normalises
        const float row_mean = static_cast<float>(m);
        const float row_rstd = static_cast<float>(1.0 / std::sqrt(var + eps));
        for (std::size_t c = 0; c < C; ++c) y[c] = (x[c] - row_mean) * row_rstd * w[c] + b[c];
        mean.data()[r] = row_mean;
        rstd.data()[r] = row_rstd;
    }
    return out;
}

Tensor layer_norm_backward(const Tensor& dout, const Tensor& inp, const Tensor& weight, const Tensor& mean,
                           const Tensor& rstd, Tensor& dweight, Tensor& dbias) {
    const std::size_t C = layer_norm_channels(inp, "layer_norm_backward");
    if (dout.shape() != inp.shape())
        throw ShapeError(fmt::format("layer_norm_backward: dout {} and inp {} differ in shape", to_string(dout.shape()),
                                     to_string(inp.shape())));
    expect_channels(weight, "weight", inp, "layer_norm_backward");
    expect_channels(dweight, "dweight", inp, "layer_norm_backward");
    expect_channels(dbias, "dbias", inp, "layer_norm_backward");
    const Shape stats_shape = row_shape(inp.shape());
    if (mean.shape() != stats_shape || rstd.shape() != stats_shape)
        throw ShapeError(fmt::format("layer_norm_backward: mean {} and rstd {} must hold one value per row of inp {}, "
                                     "shape {}",
                                     to_string(mean.shape()), to_string(rstd.shape()), to_string(inp.shape()),
                                     to_string(stats_shape)));
    Tensor dinp(inp.shape());
    const std::size_t rows = inp.numel() / C;
    const float* w = weight.data();
    float *dw = dweight.data(), *db = dbias.data();
    for (std::size_t r = 0; r < rows; ++r) {
        const float *x = inp.data() + r * C, *dy = dout.data() + r * C;
        float* dx = dinp.data() + r * C;
        const float row_mean = mean.data()[r], row_rstd = rstd.data()[r];
        // With norm = (x - mean) * rstd and dnorm = dout * weight, the gradient of x is
        //   dx = rstd * (dnorm - mean(dnorm) - norm * mean(dnorm * norm)):
        // the first term is x's direct path; the other two come through the mean and
        // the variance, which every x of the row moves.
        const auto norm = [&](std::size_t c) { return (x[c] - row_mean) * row_rstd; };
        const auto dnorm = [&](std::size_t c) { return dy[c] * w[c]; };
        const double sum_dnorm = row_sum(C, [&](std::size_t c) { return static_cast<double>(dnorm(c)); });
        const double sum_dnorm_norm = row_sum(C, [&](std::size_t c) { return static_cast<double>(dnorm(c)) * norm(c); });
        const float mean_dnorm = static_cast<float>(sum_dnorm / static_cast<double>(C));
        const float mean_dnorm_norm = static_cast<float>(sum_dnorm_norm / static_cast<double>(C));
        for (std::size_t c = 0; c < C; ++c) dx[c] = (dnorm(c) - mean_dnorm - norm(c) * mean_dnorm_norm) * row_rstd;
        for (std::size_t c = 0; c < C; ++c) {
            dw[c] += dy[c] * norm(c);  // out = norm * weight + bias
            db[c] += dy[c];
        }
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
