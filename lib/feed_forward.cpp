#include "lib/feed_forward.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "lib/errors.hpp"
#include "lib/kernels.hpp"
#include "lib/parallel.hpp"

namespace wb {

FeedForward::FeedForward(std::size_t d_model, std::size_t hidden, Generator& g)
    : fc1(d_model, hidden, true, g),
      fc2(hidden, d_model, true, g),
      dfc1_weight_(fc1.weight.shape()),
      dfc1_bias_(fc1.bias.shape()),
      dfc2_weight_(fc2.weight.shape()),
      dfc2_bias_(fc2.bias.shape()) {}

namespace {

// Reuses a buffer while the shape stays the same: a training step allocates nothing.
void ensure_shape(Tensor& t, std::size_t rows, std::size_t cols) {
    if (t.dim() != 2 || t.size(0) != rows || t.size(1) != cols) t = Tensor(Shape{rows, cols});
}

}  // namespace

// Each token passes alone, so the whole forward goes a chunk of rows at a time
// (detail::kRowsPerChunk, as linear_forward splits them): one parallel_for for fc1,
// GELU and fc2, where three layer calls would wait for each other three times.
Tensor FeedForward::forward(const Tensor& x) {
    const std::size_t C = fc1.weight.size(1), H = fc1.weight.size(0);
    if (x.dim() == 0 || x.size(-1) != C)
        throw ShapeError(fmt::format("FeedForward: input of shape {} does not end in d_model {}", to_string(x.shape()), C));
    const std::size_t N = x.numel() / C;
    x_ = x;
    ensure_shape(hpre_, N, H);
    ensure_shape(tanh_, N, H);
    ensure_shape(h_, N, H);
    Tensor out(x.shape());
    parallel_for(N, detail::kRowsPerChunk, [&](std::size_t r0, std::size_t r1) {
        const std::size_t rows = r1 - r0;
        float *hpre = hpre_.data() + r0 * H, *h = h_.data() + r0 * H;
        // hpre (rows, H) = x @ fc1.weight.T + fc1.bias
        detail::gemm(false, true, rows, H, C, x.data() + r0 * C, fc1.weight.data(), hpre, 0.0f);
        detail::add_bias(hpre, fc1.bias.data(), rows, H);
        // h = gelu(hpre), keeping its tanh for the backward
        detail::gelu_forward(h, tanh_.data() + r0 * H, hpre, rows * H);
        // out (rows, C) = h @ fc2.weight.T + fc2.bias
        detail::gemm(false, true, rows, C, H, h, fc2.weight.data(), out.data() + r0 * C, 0.0f);
        detail::add_bias(out.data() + r0 * C, fc2.bias.data(), rows, C);
    });
    return out;
}

Tensor FeedForward::backward(const Tensor& dout) {
    if (dout.shape() != x_.shape())
        throw ShapeError(fmt::format("FeedForward::backward: dout of shape {} for an output of shape {}",
                                     to_string(dout.shape()), to_string(x_.shape())));
    const std::size_t C = fc1.weight.size(1), H = fc1.weight.size(0), N = x_.numel() / C;
    ensure_shape(dhpre_, N, H);
    Tensor dx(x_.shape());
    // the gradients of the activations, row by row as the forward
    parallel_for(N, detail::kRowsPerChunk, [&](std::size_t r0, std::size_t r1) {
        const std::size_t rows = r1 - r0;
        float* dhpre = dhpre_.data() + r0 * H;
        // out = h @ fc2.weight.T + b:  dh = dout @ fc2.weight
        detail::gemm(false, false, rows, H, C, dout.data() + r0 * C, fc2.weight.data(), dhpre, 0.0f);
        // h = gelu(hpre):  dhpre = dh * gelu'(hpre), in place
        detail::gelu_backward(dhpre, dhpre, hpre_.data() + r0 * H, tanh_.data() + r0 * H, rows * H);
        // hpre = x @ fc1.weight.T + b:  dx = dhpre @ fc1.weight
        detail::gemm(false, false, rows, C, H, dhpre, fc1.weight.data(), dx.data() + r0 * C, 0.0f);
    });
    // The weights' gradients sum over every row: chunks of output features instead,
    // fc2's first, then fc1's, in one list of tasks.
    const std::size_t F = detail::kFeaturesPerChunk, tasks2 = (C + F - 1) / F, tasks1 = (H + F - 1) / F;
    parallel_for(tasks2 + tasks1, 1, [&](std::size_t i, std::size_t) {
        if (i < tasks2)
            detail::linear_weight_gradients(dfc2_weight_.data(), dfc2_bias_.data(), dout.data(), C, h_.data(), N, H, C,
                                            i * F, std::min(C, (i + 1) * F));
        else
            detail::linear_weight_gradients(dfc1_weight_.data(), dfc1_bias_.data(), dhpre_.data(), H, x_.data(), N, C, H,
                                            (i - tasks2) * F, std::min(H, (i - tasks2 + 1) * F));
    });
    return dx;
}

std::vector<Tensor*> FeedForward::parameters() { return {&fc1.weight, &fc1.bias, &fc2.weight, &fc2.bias}; }

std::vector<Tensor*> FeedForward::gradients() { return {&dfc1_weight_, &dfc1_bias_, &dfc2_weight_, &dfc2_bias_}; }

std::size_t FeedForward::num_parameters() const {
    return fc1.weight.numel() + fc1.bias.numel() + fc2.weight.numel() + fc2.bias.numel();
}

}  // namespace wb
