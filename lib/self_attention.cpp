#include "lib/self_attention.hpp"

#include <cmath>
#include <utility>

#include <fmt/format.h>

#include "lib/errors.hpp"
#include "lib/layers.hpp"
#include "lib/ops.hpp"

namespace wb {
SelfAttention_v1::SelfAttention_v1(std::size_t d_in, std::size_t d_out, Generator& g)
    : W_query(g.rand({d_in, d_out})), W_key(g.rand({d_in, d_out})), W_value(g.rand({d_in, d_out})) {}

SelfAttention_v1::SelfAttention_v1(Tensor W_query_, Tensor W_key_, Tensor W_value_)
    : W_query(std::move(W_query_)), W_key(std::move(W_key_)), W_value(std::move(W_value_)) {
    if (W_query.dim() != 2 || W_key.shape() != W_query.shape() || W_value.shape() != W_query.shape())
        throw ShapeError(fmt::format("SelfAttention_v1: W_query, W_key and W_value must be matrices of one shape "
                                     "(d_in, d_out); got {}, {} and {}",
                                     to_string(W_query.shape()), to_string(W_key.shape()), to_string(W_value.shape())));
}

Tensor SelfAttention_v1::forward(const Tensor& x) const {
    const Tensor keys = matmul(x, W_key);
    const Tensor queries = matmul(x, W_query);
    const Tensor values = matmul(x, W_value);
    return scaled_dot_product_attention(queries, keys, values, Tensor()).context;
}

namespace detail {

std::size_t checked_width(std::size_t d_in, std::size_t d_out) {
    if (d_in == 0 || d_out == 0)
        throw ValueError(fmt::format("attention: d_in and d_out must be at least 1, got {} and {}", d_in, d_out));
    return d_in;
}

QKVAttention::QKVAttention(std::size_t d_in, std::size_t d_out, bool qkv_bias, Generator& g)
    : W_query(checked_width(d_in, d_out), d_out, qkv_bias, g),
      W_key(d_in, d_out, qkv_bias, g),
      W_value(d_in, d_out, qkv_bias, g) {
    zero_grad();
}

std::vector<Tensor*> QKVAttention::parameters() {
    std::vector<Tensor*> p = {&W_query.weight, &W_key.weight, &W_value.weight};
    if (W_query.has_bias) p.insert(p.end(), {&W_query.bias, &W_key.bias, &W_value.bias});
    return p;
}

std::vector<Tensor*> QKVAttention::gradients() {
    std::vector<Tensor*> d = {&d_query_.weight, &d_key_.weight, &d_value_.weight};
    if (W_query.has_bias) d.insert(d.end(), {&d_query_.bias, &d_key_.bias, &d_value_.bias});
    return d;
}

void QKVAttention::zero_grad() {
    for (LinearGrads* d : {&d_query_, &d_key_, &d_value_}) {
        d->weight = zeros(W_query.weight.shape());
        d->bias = zeros(W_query.bias.shape());
    }
}

Tensor QKVAttention::attend(const Tensor& x, const Tensor& mask, Dropout* dropout, Generator* g) {
    if (x.dim() < 2 || x.size(-1) != W_query.weight.size(1))
        throw ShapeError(fmt::format("attention: input of shape {} for d_in = {} (expected (..., tokens, {}))",
                                     to_string(x.shape()), W_query.weight.size(1), W_query.weight.size(1)));
    x_ = x;
    keys_ = W_key.forward(x);
    queries_ = W_query.forward(x);
    values_ = W_value.forward(x);
    attention_ = scaled_dot_product_attention(queries_, keys_, values_, mask, dropout, g);
    return attention_.context;
}

Tensor QKVAttention::attend_backward(const Tensor& dcontext, const Dropout* dropout) {
    if (x_.numel() == 0) throw ValueError("attention: backward() needs a forward() first");
    const AttentionGrads d = scaled_dot_product_attention_backward(dcontext, queries_, keys_, values_, attention_, dropout);
    const auto bias = [](const Linear& layer, Tensor& dbias) { return layer.has_bias ? &dbias : nullptr; };
    Tensor dx = linear_backward(d.dq, x_, W_query.weight, d_query_.weight, bias(W_query, d_query_.bias));
    dx += linear_backward(d.dk, x_, W_key.weight, d_key_.weight, bias(W_key, d_key_.bias));
    dx += linear_backward(d.dv, x_, W_value.weight, d_value_.weight, bias(W_value, d_value_.bias));
    return dx;
}

}  // namespace detail

SelfAttention_v2::SelfAttention_v2(std::size_t d_in, std::size_t d_out, Generator& g, bool qkv_bias)
    : QKVAttention(d_in, d_out, qkv_bias, g) {}

Tensor SelfAttention_v2::forward(const Tensor& x) { return attend(x, Tensor(), nullptr, nullptr); }

Tensor SelfAttention_v2::backward(const Tensor& dcontext) { return attend_backward(dcontext, nullptr); }

CausalAttention::CausalAttention(std::size_t d_in, std::size_t d_out, std::size_t context_length, double dropout_p,
                                 Generator& g, bool qkv_bias)
    : QKVAttention(d_in, d_out, qkv_bias, g), mask(causal_mask(context_length)), dropout(dropout_p), g_(&g) {}

Tensor CausalAttention::forward(const Tensor& x) {
    const Tensor m = mask_for_input(mask, x, "CausalAttention");
    return attend(x, m, &dropout, g_);
}

Tensor CausalAttention::backward(const Tensor& dcontext) { return attend_backward(dcontext, &dropout); }

}  // namespace wb
