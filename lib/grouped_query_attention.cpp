#include "lib/grouped_query_attention.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "lib/errors.hpp"
#include "lib/layers.hpp"
#include "lib/ops.hpp"

namespace wb {
namespace {

// d_out / num_heads, after checking that the heads divide the width and the K/V
// heads divide the heads; before any weight is drawn.
std::size_t checked_head_dim(std::size_t d_out, std::size_t num_heads, std::size_t num_kv_heads, const char* name) {
    if (d_out == 0) throw ValueError(fmt::format("{}: d_out must be at least 1", name));
    if (num_heads == 0 || d_out % num_heads != 0)
        throw ValueError(fmt::format("{}: d_out ({}) must be divisible by num_heads ({})", name, d_out, num_heads));
    if (num_kv_heads == 0 || num_heads % num_kv_heads != 0)
        throw ValueError(fmt::format("{}: num_heads ({}) must be divisible by num_kv_heads ({}); each K/V head serves "
                                     "a group of equal size",
                                     name, num_heads, num_kv_heads));
    return d_out / num_heads;
}

void expect_heads(const Tensor& x, const char* op) {
    if (x.dim() != 4)
        throw ShapeError(fmt::format("{}: expects (batch, heads, tokens, head_dim), got shape {}", op,
                                     to_string(x.shape())));
}

}  // namespace

Tensor repeat_kv(const Tensor& x, std::size_t groups) {
    expect_heads(x, "repeat_kv");
    const std::size_t B = x.size(0), H_kv = x.size(1), block = x.size(2) * x.size(3);
    Tensor out(Shape{B, H_kv * groups, x.size(2), x.size(3)});
    for (std::size_t b = 0; b < B; ++b)
        for (std::size_t h = 0; h < H_kv * groups; ++h)
            std::copy_n(x.data() + (b * H_kv + h / groups) * block, block, out.data() + (b * H_kv * groups + h) * block);
    return out;
}

Tensor repeat_kv_backward(const Tensor& dout, std::size_t groups) {
    expect_heads(dout, "repeat_kv_backward");
    if (groups == 0 || dout.size(1) % groups != 0)
        throw ShapeError(fmt::format("repeat_kv_backward: {} heads do not make groups of {}", dout.size(1), groups));
    const std::size_t B = dout.size(0), H = dout.size(1), H_kv = H / groups, block = dout.size(2) * dout.size(3);
    Tensor dx(Shape{B, H_kv, dout.size(2), dout.size(3)});
    for (std::size_t b = 0; b < B; ++b)
        for (std::size_t h = 0; h < H; ++h) {
            const float* src = dout.data() + (b * H + h) * block;
            float* dst = dx.data() + (b * H_kv + h / groups) * block;
            for (std::size_t i = 0; i < block; ++i) dst[i] += src[i];
        }
    return dx;
}

GroupedQueryAttention::GroupedQueryAttention(std::size_t d_in, std::size_t d_out, std::size_t context_length,
                                             double dropout_p, std::size_t num_heads_, std::size_t num_kv_heads_,
                                             Generator& g, bool qkv_bias, const char* name)
    : num_heads(num_heads_),
      num_kv_heads(num_kv_heads_),
      head_dim(checked_head_dim(d_out, num_heads_, num_kv_heads_, name)),  // before any weight is drawn
      W_query(d_in, d_out, qkv_bias, g),
      W_key(d_in, num_kv_heads_ * head_dim, qkv_bias, g),
      W_value(d_in, num_kv_heads_ * head_dim, qkv_bias, g),
      out_proj(d_out, d_out, true, g),
      dropout(dropout_p),
      mask(causal_mask(context_length)),
      name_(name),
      g_(&g) {
    zero_grad();
}

std::vector<Tensor*> GroupedQueryAttention::parameters() {
    std::vector<Tensor*> p = {&W_query.weight, &W_key.weight, &W_value.weight};
    if (W_query.has_bias) p.insert(p.end(), {&W_query.bias, &W_key.bias, &W_value.bias});
    p.insert(p.end(), {&out_proj.weight, &out_proj.bias});
    return p;
}

std::vector<Tensor*> GroupedQueryAttention::gradients() {
    std::vector<Tensor*> d;
    for (Tensor& t : grads_) d.push_back(&t);
    return d;
}

void GroupedQueryAttention::zero_grad() {
    grads_.clear();
    for (Tensor* p : parameters()) grads_.push_back(zeros(p->shape()));
}

std::size_t GroupedQueryAttention::num_parameters() const {
    std::size_t n = 0;
    for (const Linear* l : {&W_query, &W_key, &W_value, &out_proj}) n += l->weight.numel() + l->bias.numel();
    return n;
}

Tensor GroupedQueryAttention::forward(const Tensor& x) {
    const Tensor m = mask_for_input(mask, x, name_);
    if (x.size(2) != W_query.weight.size(1))
        throw ShapeError(fmt::format("{}: input of shape {} for d_in = {}", name_, to_string(x.shape()),
                                     W_query.weight.size(1)));
    const std::size_t groups = num_heads / num_kv_heads;
    x_ = x;
    queries_ = split_heads(W_query.forward(x), num_heads);                  // (B, H, T, hd)
    keys_ = repeat_kv(split_heads(W_key.forward(x), num_kv_heads), groups);  // (B, H_kv, T, hd) -> (B, H, T, hd)
    values_ = repeat_kv(split_heads(W_value.forward(x), num_kv_heads), groups);
    attention_ = scaled_dot_product_attention(queries_, keys_, values_, m, &dropout, g_);
    merged_ = merge_heads(attention_.context);  // (B, T, d_out)
    return out_proj.forward(merged_);
}

Tensor GroupedQueryAttention::backward(const Tensor& dout) {
    if (x_.numel() == 0) throw ValueError(fmt::format("{}: backward() needs a forward() first", name_));
    const std::size_t groups = num_heads / num_kv_heads;
    const bool bias = W_query.has_bias;  // grads_ follows parameters()
    const Tensor dmerged = linear_backward(dout, merged_, out_proj.weight, grads_[bias ? 6 : 3], &grads_[bias ? 7 : 4]);
    const AttentionGrads d =
        scaled_dot_product_attention_backward(split_heads(dmerged, num_heads), queries_, keys_, values_, attention_, &dropout);
    // a K/V head's gradient is the sum over the query heads of its group
    const Tensor dk = merge_heads(repeat_kv_backward(d.dk, groups));
    const Tensor dv = merge_heads(repeat_kv_backward(d.dv, groups));
    Tensor dx = linear_backward(merge_heads(d.dq), x_, W_query.weight, grads_[0], bias ? &grads_[3] : nullptr);
    dx += linear_backward(dk, x_, W_key.weight, grads_[1], bias ? &grads_[4] : nullptr);
    dx += linear_backward(dv, x_, W_value.weight, grads_[2], bias ? &grads_[5] : nullptr);
    return dx;
}

}  // namespace wb
