#include "lib/grouped_query_attention.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "lib/attention_kernels.hpp"
#include "lib/errors.hpp"
#include "lib/kernels.hpp"
#include "lib/layers.hpp"
#include "lib/ops.hpp"
#include "lib/parallel.hpp"

namespace wb {
namespace {

// d_out / num_heads, after checking that the heads divide the width and the K/V
// heads divide the heads; before any weight is drawn.
std::size_t checked_head_dim(std::size_t d_out, std::size_t num_heads, std::size_t num_kv_heads, const char* name) {
    if (d_out == 0) throw ValueError(fmt::format("{}: d_out must be at least 1", name));
    if (num_heads == 0 || d_out % num_heads != 0)
        throw ValueError(fmt::format("{}: d_out ({}) must be divisible by num_heads ({})", name, d_out, num_heads));
    if (num_kv_heads == 0)
        throw ValueError(fmt::format("{}: num_kv_heads must be at least 1 (1 is multi-query attention, num_heads ({}) "
                                     "multi-head attention)", name, num_heads));
    if (num_heads % num_kv_heads != 0)
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

namespace {

// Reuses a buffer while the shape stays the same: a training step allocates nothing.
void ensure_shape(Tensor& t, const Shape& shape) {
    if (t.shape() != shape) t = Tensor(shape);
}

// The attention loops split the batch over the cores, this many rows of it at a
// time: the GPT's batch of 32 makes 8 chunks.
constexpr std::size_t kBatchRowsPerChunk = 4;

}  // namespace

// The three projections are one matrix product: W_query, W_key and W_value stacked
// into w_qkv_ (C + 2 C_kv, d_in), so x (B, T, d_in) -> qkv_ (B, T, C + 2 C_kv) holds
// each token's query, key and value side by side (one sgemm of 192 columns instead
// of three of 64: fewer calls and one pass over x). The attention loops read each
// head in place (lib/attention_kernels.hpp) rather than copying the heads apart with
// split_heads and repeat_kv and back with merge_heads: in the capstone's GPT those
// copies and the per-head matmuls cost more than the arithmetic.
Tensor GroupedQueryAttention::forward(const Tensor& x) {
    mask_ = mask_for_input(mask, x, name_);  // (T, T)
    if (x.size(2) != W_query.weight.size(1))
        throw ShapeError(fmt::format("{}: input of shape {} for d_in = {}", name_, to_string(x.shape()),
                                     W_query.weight.size(1)));
    const std::size_t B = x.size(0), T = x.size(1), d_in = x.size(2), N = B * T;
    const std::size_t C = num_heads * head_dim, C_kv = num_kv_heads * head_dim, W = C + 2 * C_kv;
    x_ = x;
    // the weights change every step (the optimiser), so they are stacked again each forward
    ensure_shape(w_qkv_, {W, d_in});
    std::size_t row = 0;
    for (const Linear* l : {&W_query, &W_key, &W_value}) {
        std::copy_n(l->weight.data(), l->weight.numel(), w_qkv_.data() + row * d_in);
        if (l->has_bias) {
            ensure_shape(b_qkv_, {W});
            std::copy_n(l->bias.data(), l->bias.numel(), b_qkv_.data() + row);
        }
        row += l->weight.size(0);
    }
    ensure_shape(qkv_, {B, T, W});
    ensure_shape(merged_, {B, T, C});
    ensure_shape(attention_.weights, {B, num_heads, T, T});
    detail::linear_forward(qkv_.data(), x.data(), w_qkv_.data(), W_query.has_bias ? b_qkv_.data() : nullptr, N, d_in,
                           W);
    const float *q = qkv_.data(), *k = q + C, *v = k + C_kv;  // rows W floats apart

    // weights (B, H, T, T) = masked softmax(q @ k.T / sqrt(hd)); context = dropped @ v,
    // written straight into merged_ (B, T, H*hd)
    const detail::Heads heads{T, num_heads, num_kv_heads, head_dim};
    const bool dropping = dropout.p() > 0.0;
    const auto context = [&](const Tensor& dropped, std::size_t b0, std::size_t b1) {
        detail::attention_context(merged_.data(), C, dropped.data(), v, W, mask_.data(), heads, b0, b1);
    };
    parallel_for(B, kBatchRowsPerChunk, [&](std::size_t b0, std::size_t b1) {
        detail::attention_weights(attention_.weights.data(), q, W, k, W, mask_.data(), heads, b0, b1);
        if (!dropping) context(attention_.weights, b0, b1);
    });
    if (dropping) {  // the mask is drawn over all the weights at once, in torch's order
        attention_.dropped = dropout.forward(attention_.weights, *g_);
        parallel_for(B, kBatchRowsPerChunk,
                     [&](std::size_t b0, std::size_t b1) { context(attention_.dropped, b0, b1); });
    }
    return out_proj.forward(merged_);
}

Tensor GroupedQueryAttention::backward(const Tensor& dout) {
    if (x_.numel() == 0) throw ValueError(fmt::format("{}: backward() needs a forward() first", name_));
    if (dout.shape() != merged_.shape())
        throw ShapeError(fmt::format("{}: dout of shape {} for an output of shape {}", name_, to_string(dout.shape()),
                                     to_string(merged_.shape())));
    const std::size_t B = x_.size(0), T = x_.size(1), d_in = x_.size(2), N = B * T;
    const std::size_t C = num_heads * head_dim, C_kv = num_kv_heads * head_dim, W = C + 2 * C_kv;
    const bool bias = W_query.has_bias;  // grads_ follows parameters()
    const bool dropping = dropout.p() > 0.0;
    ensure_shape(dmerged_, merged_.shape());
    ensure_shape(dqkv_, qkv_.shape());
    detail::linear_backward(dmerged_.data(), false, grads_[bias ? 6 : 3].data(), grads_[bias ? 7 : 4].data(),
                            dout.data(), merged_.data(), out_proj.weight.data(), N, C, C);
    const detail::Heads heads{T, num_heads, num_kv_heads, head_dim};
    const Tensor& dropped = dropping ? attention_.dropped : attention_.weights;
    const float *q = qkv_.data(), *k = q + C, *v = k + C_kv;
    float *dq = dqkv_.data(), *dk = dq + C, *dv = dk + C_kv;
    parallel_for(B, kBatchRowsPerChunk, [&](std::size_t b0, std::size_t b1) {
        detail::attention_backward(dq, dk, dv, dmerged_.data(), C, q, W, k, v, W, attention_.weights.data(),
                                   dropped.data(), dropping ? dropout.mask().data() : nullptr, mask_.data(), heads, b0,
                                   b1);
    });
    // Back through the stacked projection, in one list of tasks: dx (B, T, d_in) =
    // dqkv @ w_qkv a chunk of rows at a time (x feeds all three projections: its
    // gradient is the sum of theirs), then each weight's gradient a chunk of its
    // output features at a time.
    Tensor dx(x_.shape());
    const std::size_t R = detail::kRowsPerChunk, F = detail::kFeaturesPerChunk, row_tasks = (N + R - 1) / R;
    struct Part {
        std::size_t offset, width, first_task;
        float *dweight, *dbias;
    };
    std::vector<Part> parts;
    std::size_t tasks = row_tasks, offset = 0;
    for (std::size_t j = 0; j < 3; ++j) {
        const std::size_t width = j == 0 ? C : C_kv;
        parts.push_back({offset, width, tasks, grads_[j].data(), bias ? grads_[3 + j].data() : nullptr});
        offset += width;
        tasks += (width + F - 1) / F;
    }
    parallel_for(tasks, 1, [&](std::size_t task, std::size_t) {
        if (task < row_tasks) {
            const std::size_t r0 = task * R, r1 = std::min(N, r0 + R);
            detail::gemm(false, false, r1 - r0, d_in, W, dqkv_.data() + r0 * W, w_qkv_.data(), dx.data() + r0 * d_in,
                         0.0f);
            return;
        }
        std::size_t j = 2;
        while (task < parts[j].first_task) --j;
        const Part& p = parts[j];
        const std::size_t o0 = (task - p.first_task) * F;
        detail::linear_weight_gradients(p.dweight, p.dbias, dqkv_.data() + p.offset, W, x_.data(), N, d_in, p.width,
                                        o0, std::min(p.width, o0 + F));
    });
    return dx;
}

}  // namespace wb
