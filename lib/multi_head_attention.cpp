#include "lib/multi_head_attention.hpp"

#include <fmt/format.h>

#include "lib/errors.hpp"
#include "lib/layers.hpp"
#include "lib/ops.hpp"

namespace wb {
namespace {

std::size_t count(const Linear& layer) { return layer.weight.numel() + layer.bias.numel(); }

// d_out / num_heads, or ValueError when the heads do not divide the width.
std::size_t checked_head_dim(std::size_t d_out, std::size_t num_heads) {
    if (d_out == 0) throw ValueError("MultiHeadAttention: d_out must be at least 1");
    if (num_heads == 0 || d_out % num_heads != 0)
        throw ValueError(fmt::format("MultiHeadAttention: d_out ({}) must be divisible by num_heads ({})", d_out,
                                     num_heads));
    return d_out / num_heads;
}

}  // namespace

std::uint64_t multi_head_attention_parameters(std::uint64_t d_in, std::uint64_t d_out, bool qkv_bias) {
    return 3 * (d_in * d_out + (qkv_bias ? d_out : 0)) + d_out * d_out + d_out;
}

AttentionAccounting account_attention(std::uint64_t d_model, std::uint64_t d_head, std::uint64_t heads,
                                      std::uint64_t layers) {
    AttentionAccounting a{};
    a.query = a.key = a.value_down = a.value_up = d_model * d_head;
    a.per_head = a.query + a.key + a.value_down + a.value_up;
    a.per_block = a.per_head * heads;
    a.total = a.per_block * layers;
    return a;
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

MultiHeadAttentionWrapper::MultiHeadAttentionWrapper(std::size_t d_in, std::size_t d_out, std::size_t context_length,
                                                     double dropout, std::size_t num_heads, Generator& g,
                                                     bool qkv_bias) {
    if (num_heads == 0) throw ValueError("MultiHeadAttentionWrapper: num_heads must be at least 1");
    heads.reserve(num_heads);
    for (std::size_t h = 0; h < num_heads; ++h) heads.emplace_back(d_in, d_out, context_length, dropout, g, qkv_bias);
}

Tensor MultiHeadAttentionWrapper::forward(const Tensor& x) {
    std::vector<Tensor> outputs;
    for (CausalAttention& head : heads) outputs.push_back(head.forward(x));
    return cat(outputs, -1);
}

std::size_t MultiHeadAttentionWrapper::num_parameters() const {
    std::size_t n = 0;
    for (const CausalAttention& head : heads) n += count(head.W_query) + count(head.W_key) + count(head.W_value);
    return n;
}

MultiHeadAttention::MultiHeadAttention(std::size_t d_in, std::size_t d_out, std::size_t context_length, double dropout_p,
                                       std::size_t num_heads_, Generator& g, bool qkv_bias)
    : num_heads(num_heads_),
      head_dim(checked_head_dim(d_out, num_heads_)),  // before any weight is drawn
      W_query(d_in, d_out, qkv_bias, g),
      W_key(d_in, d_out, qkv_bias, g),
      W_value(d_in, d_out, qkv_bias, g),
      out_proj(d_out, d_out, true, g),
      dropout(dropout_p),
      mask(causal_mask(context_length)),
      g_(&g) {
    zero_grad();
}

std::vector<Tensor*> MultiHeadAttention::parameters() {
    std::vector<Tensor*> p = {&W_query.weight, &W_key.weight, &W_value.weight};
    if (W_query.has_bias) p.insert(p.end(), {&W_query.bias, &W_key.bias, &W_value.bias});
    p.insert(p.end(), {&out_proj.weight, &out_proj.bias});
    return p;
}

std::vector<Tensor*> MultiHeadAttention::gradients() {
    std::vector<Tensor*> d;
    for (Tensor& t : grads_) d.push_back(&t);
    return d;
}

void MultiHeadAttention::zero_grad() {
    grads_.clear();
    for (Tensor* p : parameters()) grads_.push_back(zeros(p->shape()));
}

std::size_t MultiHeadAttention::num_parameters() const {
    return count(W_query) + count(W_key) + count(W_value) + count(out_proj);
}

Tensor MultiHeadAttention::forward(const Tensor& x) {
    const Tensor m = mask_for_input(mask, x, "MultiHeadAttention");
    if (x.size(2) != W_query.weight.size(1))
        throw ShapeError(fmt::format("MultiHeadAttention: input of shape {} for d_in = {}", to_string(x.shape()),
                                     W_query.weight.size(1)));
    x_ = x;
    keys_ = split_heads(W_key.forward(x), num_heads);      // (B, H, T, hd)
    queries_ = split_heads(W_query.forward(x), num_heads);
    values_ = split_heads(W_value.forward(x), num_heads);
    attention_ = scaled_dot_product_attention(queries_, keys_, values_, m, &dropout, g_);
    merged_ = merge_heads(attention_.context);             // (B, T, d_out)
    return out_proj.forward(merged_);
}

Tensor MultiHeadAttention::backward(const Tensor& dout) {
    if (x_.numel() == 0) throw ValueError("MultiHeadAttention: backward() needs a forward() first");
    // grads_ follows parameters(): W_query, W_key, W_value, [their biases], out_proj weight, bias
    const bool bias = W_query.has_bias;
    Tensor& d_out_w = grads_[bias ? 6 : 3];
    Tensor& d_out_b = grads_[bias ? 7 : 4];
    const Tensor dmerged = linear_backward(dout, merged_, out_proj.weight, d_out_w, &d_out_b);
    const AttentionGrads d =
        scaled_dot_product_attention_backward(split_heads(dmerged, num_heads), queries_, keys_, values_, attention_, &dropout);
    Tensor dx = linear_backward(merge_heads(d.dq), x_, W_query.weight, grads_[0], bias ? &grads_[3] : nullptr);
    dx += linear_backward(merge_heads(d.dk), x_, W_key.weight, grads_[1], bias ? &grads_[4] : nullptr);
    dx += linear_backward(merge_heads(d.dv), x_, W_value.weight, grads_[2], bias ? &grads_[5] : nullptr);
    return dx;
}

}  // namespace wb
