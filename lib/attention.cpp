#include "lib/attention.hpp"

#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "lib/errors.hpp"
#include "lib/ops.hpp"

namespace wb {
namespace {

// 1/sqrt(d_k) as the book writes it: scores / d_k**0.5, a float division by the
// double sqrt rounded to float.
float sqrt_d(std::size_t d) { return static_cast<float>(std::sqrt(static_cast<double>(d))); }

void check_qkv(const Tensor& q, const Tensor& k, const Tensor& v) {
    if (q.dim() < 2 || k.dim() < 2 || v.dim() < 2)
        throw ShapeError(fmt::format("scaled_dot_product_attention: q, k and v need at least 2 dimensions (tokens, "
                                     "features); got q {}, k {}, v {}",
                                     to_string(q.shape()), to_string(k.shape()), to_string(v.shape())));
    if (q.size(-1) != k.size(-1))
        throw ShapeError(fmt::format("scaled_dot_product_attention: queries and keys must have the same width; got q {} "
                                     "and k {}",
                                     to_string(q.shape()), to_string(k.shape())));
    if (k.size(-2) != v.size(-2))
        throw ShapeError(fmt::format("scaled_dot_product_attention: one value per key; got k {} and v {}",
                                     to_string(k.shape()), to_string(v.shape())));
    // The backward returns gradients of these shapes, so the batch dimensions must agree.
    const Shape batch(q.shape().begin(), q.shape().end() - 2);
    if (Shape(k.shape().begin(), k.shape().end() - 2) != batch || Shape(v.shape().begin(), v.shape().end() - 2) != batch)
        throw ShapeError(fmt::format("scaled_dot_product_attention: q, k and v must have the same batch dimensions; "
                                     "got q {}, k {}, v {}",
                                     to_string(q.shape()), to_string(k.shape()), to_string(v.shape())));
    if (q.size(-1) == 0 || q.size(-2) == 0 || k.size(-2) == 0)
        throw ShapeError(fmt::format("scaled_dot_product_attention: needs at least one token and a width of at least 1; "
                                     "got q {} and k {}",
                                     to_string(q.shape()), to_string(k.shape())));
}

}  // namespace

Tensor causal_mask(std::size_t T) { return triu(ones({T, T}), 1); }

Tensor mask_for_input(const Tensor& mask, const Tensor& x, const char* module) {
    if (x.dim() != 3)
        throw ShapeError(fmt::format("{}: input must be (batch, tokens, d_in), got shape {}", module, to_string(x.shape())));
    const std::size_t T = x.size(1);
    if (T > mask.size(0))
        throw ShapeError(fmt::format("{}: {} tokens, but the context length is {}", module, T, mask.size(0)));
    Tensor m = zeros({T, T});
    for (std::size_t i = 0; i < T; ++i)
        for (std::size_t j = 0; j < T; ++j) m(i, j) = mask(i, j);
    return m;
}

Tensor masked_softmax(const Tensor& scores, const Tensor& mask) {
    if (mask.numel() == 0) return softmax(scores, -1);
    const float inf = std::numeric_limits<float>::infinity();
    const Tensor filled = masked_fill(scores, mask, -inf);
    Tensor weights = softmax(filled, -1);
    const std::size_t n = filled.size(-1);
    for (std::size_t row = 0; n > 0 && row < filled.numel() / n; ++row) {
        bool all_masked = true;
        for (std::size_t j = 0; j < n && all_masked; ++j) all_masked = filled.data()[row * n + j] == -inf;
        if (all_masked)
            for (std::size_t j = 0; j < n; ++j) weights.data()[row * n + j] = 0.0f;
    }
    return weights;
}

Attention scaled_dot_product_attention(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask,
                                       Dropout* dropout, Generator* g) {
    check_qkv(q, k, v);
    if (dropout && !g) throw ValueError("scaled_dot_product_attention: dropout needs a generator for its mask");
    Attention a;
    const Tensor scores = matmul(q, transpose(k, -2, -1));  // (..., T, S)
    a.weights = masked_softmax(scores / sqrt_d(k.size(-1)), mask);
    a.dropped = dropout ? dropout->forward(a.weights, *g) : a.weights;
    a.context = matmul(a.dropped, v);  // (..., T, d_v)
    return a;
}

AttentionGrads scaled_dot_product_attention_backward(const Tensor& dcontext, const Tensor& q, const Tensor& k,
                                                     const Tensor& v, const Attention& forward,
                                                     const Dropout* dropout) {
    if (dcontext.shape() != forward.context.shape())
        throw ShapeError(fmt::format("scaled_dot_product_attention_backward: dcontext of shape {} for a context of "
                                     "shape {}",
                                     to_string(dcontext.shape()), to_string(forward.context.shape())));
    AttentionGrads grads;
    // context = dropped @ v
    grads.dv = matmul(transpose(forward.dropped, -2, -1), dcontext);
    Tensor dweights = matmul(dcontext, transpose(v, -2, -1));
    if (dropout) dweights = dropout->backward(dweights);
    // softmax: dscores = w * (dw - sum(dw * w)) along each row; masked places have w = 0
    const Tensor& w = forward.weights;
    const Tensor dscores = w * (dweights - sum(dweights * w, -1, true)) / sqrt_d(k.size(-1));
    // scores = q @ k.T
    grads.dq = matmul(dscores, k);
    grads.dk = matmul(transpose(dscores, -2, -1), q);
    return grads;
}

Tensor split_heads(const Tensor& x, std::size_t num_heads) {
    if (x.dim() != 3 || num_heads == 0 || x.size(2) % num_heads != 0)
        throw ShapeError(fmt::format("split_heads: expects (batch, tokens, d_out) with d_out a multiple of the {} heads, "
                                     "got shape {}",
                                     num_heads, to_string(x.shape())));
    const std::size_t B = x.size(0), T = x.size(1), hd = x.size(2) / num_heads;
    return transpose(x.reshape({B, T, num_heads, hd}), 1, 2);
}

Tensor merge_heads(const Tensor& x) {
    if (x.dim() != 4)
        throw ShapeError(fmt::format("merge_heads: expects (batch, heads, tokens, head_dim), got shape {}",
                                     to_string(x.shape())));
    const std::size_t B = x.size(0), H = x.size(1), T = x.size(2), hd = x.size(3);
    return transpose(x, 1, 2).reshape({B, T, H * hd});
}

}  // namespace wb
