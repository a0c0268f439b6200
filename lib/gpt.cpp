#include "lib/gpt.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "lib/errors.hpp"
#include "lib/layers.hpp"
#include "lib/ops.hpp"

namespace wb {

// --- LayerNorm --------------------------------------------------------------------------

LayerNorm::LayerNorm(std::size_t emb_dim)
    : scale(Shape{emb_dim}, 1.0f), shift(Shape{emb_dim}), dscale(Shape{emb_dim}), dshift(Shape{emb_dim}) {}

Tensor LayerNorm::forward(const Tensor& x) {
    x_ = x;
    return layer_norm_forward(x, scale, shift, mean_, rstd_);
}

Tensor LayerNorm::backward(const Tensor& dout) {
    return layer_norm_backward(dout, x_, scale, mean_, rstd_, dscale, dshift);
}

// --- TransformerBlock -----------------------------------------------------------------------

TransformerBlock::TransformerBlock(const GPTConfig& cfg, Generator& g)
    : att(cfg.emb_dim, cfg.emb_dim, cfg.context_length, 0.0, cfg.n_heads, cfg.n_heads, g, false, "MultiHeadAttention"),
      ff(cfg.num_experts == 0 ? std::make_unique<FeedForward>(cfg.emb_dim, 4 * cfg.emb_dim, g) : nullptr),
      moe(cfg.num_experts == 0 ? nullptr
                               : std::make_unique<MixtureOfExperts>(cfg.emb_dim, cfg.expert_hidden, cfg.num_experts,
                                                                    cfg.top_k, g,
                                                                    cfg.top_k == 1 ? Gate::router_prob
                                                                                   : Gate::renormalized)),
      norm1(cfg.emb_dim),
      norm2(cfg.emb_dim) {}

Tensor TransformerBlock::forward(const Tensor& x) {
    const Tensor x1 = x + att.forward(norm1.forward(x));  // the residual: attention adds to x
    const Tensor h = norm2.forward(x1);
    return x1 + (ff ? ff->forward(h) : moe->forward(h));
}

Tensor TransformerBlock::backward(const Tensor& dout, float aux_alpha) {
    // a residual passes its gradient through unchanged and adds the branch's
    Tensor dx1 = dout;
    dx1 += norm2.backward(ff ? ff->backward(dout) : moe->backward(dout, aux_alpha));
    Tensor dx = dx1;
    dx += norm1.backward(att.backward(dx1));
    return dx;
}

std::vector<Tensor*> TransformerBlock::parameters() {
    std::vector<Tensor*> p = att.parameters();
    for (Tensor* t : ff ? ff->parameters() : moe->parameters()) p.push_back(t);
    p.insert(p.end(), {&norm1.scale, &norm1.shift, &norm2.scale, &norm2.shift});
    return p;
}

std::vector<Tensor*> TransformerBlock::gradients() {
    std::vector<Tensor*> p = att.gradients();
    for (Tensor* t : ff ? ff->gradients() : moe->gradients()) p.push_back(t);
    p.insert(p.end(), {&norm1.dscale, &norm1.dshift, &norm2.dscale, &norm2.dshift});
    return p;
}

// --- GPTModel ---------------------------------------------------------------------------------

namespace {

GPTConfig checked(const GPTConfig& c) {
    if (c.vocab_size == 0 || c.context_length == 0 || c.emb_dim == 0 || c.n_layers == 0)
        throw ValueError("GPTModel: vocab_size, context_length, emb_dim and n_layers must be at least 1");
    if (c.n_heads == 0 || c.emb_dim % c.n_heads != 0)
        throw ValueError(fmt::format("GPTModel: emb_dim ({}) must be divisible by n_heads ({})", c.emb_dim, c.n_heads));
    if (c.num_experts != 0 && (c.top_k == 0 || c.top_k > c.num_experts))
        throw ValueError(fmt::format("GPTModel: top-{} of {} experts: top_k takes 1 to {}", c.top_k, c.num_experts,
                                     c.num_experts));
    return c;
}

std::vector<TransformerBlock> make_blocks(const GPTConfig& cfg, Generator& g) {
    std::vector<TransformerBlock> blocks;
    blocks.reserve(cfg.n_layers);
    for (std::size_t i = 0; i < cfg.n_layers; ++i) blocks.emplace_back(cfg, g);
    return blocks;
}

}  // namespace

GPTModel::GPTModel(const GPTConfig& cfg, Generator& g)
    : tok_emb(g.randn({checked(cfg).vocab_size, cfg.emb_dim})),  // nn.Embedding's N(0, 1)
      pos_emb(g.randn({cfg.context_length, cfg.emb_dim})),
      trf_blocks(make_blocks(cfg, g)),  // members are built in declaration order: the book's order
      final_norm(cfg.emb_dim),
      out_head(cfg.emb_dim, cfg.vocab_size, false, g),
      cfg_(cfg) {
    dtok_emb_ = Tensor(tok_emb.shape());
    dpos_emb_ = Tensor(pos_emb.shape());
    dout_head_ = Tensor(out_head.weight.shape());
}

const Tensor& GPTModel::forward(const std::vector<std::size_t>& idx, std::size_t B, std::size_t T) {
    const std::size_t C = cfg_.emb_dim;
    if (T == 0 || T > cfg_.context_length)
        throw ShapeError(fmt::format("GPTModel: {} tokens per row; the model's context is 1 to {}", T,
                                     cfg_.context_length));
    if (idx.size() != B * T)
        throw ShapeError(fmt::format("GPTModel: {} token ids are not {} rows of {}", idx.size(), B, T));
    B_ = B;
    T_ = T;
    idx_ = idx;
    Tensor x = embedding_forward(tok_emb, idx).reshape({B, T, C});
    for (std::size_t b = 0; b < B; ++b)  // each position adds its own learned vector
        for (std::size_t t = 0; t < T; ++t)
            for (std::size_t c = 0; c < C; ++c) x.data()[(b * T + t) * C + c] += pos_emb.data()[t * C + c];
    for (TransformerBlock& block : trf_blocks) x = block.forward(x);
    h_final_ = final_norm.forward(x);
    logits_ = linear_forward(h_final_, out_head.weight, out_head.bias);
    return logits_;
}

float GPTModel::loss(const std::vector<std::int64_t>& targets) {
    const std::size_t V = cfg_.vocab_size, N = B_ * T_;
    if (targets.size() != N)
        throw ShapeError(fmt::format("GPTModel::loss: {} targets for {} positions ({} rows of {})", targets.size(), N,
                                     B_, T_));
    rows_.clear();
    targets_.clear();
    for (std::size_t n = 0; n < N; ++n) {
        if (targets[n] == -1) continue;  // padding after the name's end
        if (targets[n] < 0 || static_cast<std::size_t>(targets[n]) >= V)
            throw IndexError(fmt::format("GPTModel::loss: target {} at position {} is outside the vocabulary of {} "
                                         "(or -1 for padding)",
                                         targets[n], n, V));
        rows_.push_back(n);
        targets_.push_back(static_cast<std::size_t>(targets[n]));
    }
    if (rows_.empty()) throw ValueError("GPTModel::loss: every target is -1 (padding): there is nothing to predict");
    Tensor picked(Shape{rows_.size(), V});
    for (std::size_t r = 0; r < rows_.size(); ++r)
        std::copy_n(logits_.data() + rows_[r] * V, V, picked.data() + r * V);
    ce_ = cross_entropy_forward(picked, targets_, probs_);
    aux_ = 0.0f;
    for (TransformerBlock& block : trf_blocks)
        if (block.moe) aux_ += block.moe->load_balancing_loss(cfg_.aux_loss_alpha);
    return ce_ + aux_;
}

void GPTModel::backward() {
    const std::size_t V = cfg_.vocab_size, C = cfg_.emb_dim;
    const Tensor dpicked = cross_entropy_backward(probs_, targets_);
    Tensor dlogits(logits_.shape());  // padding positions get no gradient
    for (std::size_t r = 0; r < rows_.size(); ++r)
        std::copy_n(dpicked.data() + r * V, V, dlogits.data() + rows_[r] * V);
    Tensor dx = final_norm.backward(linear_backward(dlogits, h_final_, out_head.weight, dout_head_, nullptr));
    for (auto block = trf_blocks.rbegin(); block != trf_blocks.rend(); ++block)
        dx = block->backward(dx, cfg_.aux_loss_alpha);
    embedding_backward(dx.reshape({B_ * T_, C}), idx_, dtok_emb_);
    for (std::size_t b = 0; b < B_; ++b)
        for (std::size_t t = 0; t < T_; ++t)
            for (std::size_t c = 0; c < C; ++c) dpos_emb_.data()[t * C + c] += dx.data()[(b * T_ + t) * C + c];
}

std::vector<Tensor*> GPTModel::parameters() {
    std::vector<Tensor*> p = {&tok_emb, &pos_emb};
    for (TransformerBlock& block : trf_blocks)
        for (Tensor* t : block.parameters()) p.push_back(t);
    p.insert(p.end(), {&final_norm.scale, &final_norm.shift, &out_head.weight});
    return p;
}

std::vector<Tensor*> GPTModel::gradients() {
    std::vector<Tensor*> p = {&dtok_emb_, &dpos_emb_};
    for (TransformerBlock& block : trf_blocks)
        for (Tensor* t : block.gradients()) p.push_back(t);
    p.insert(p.end(), {&final_norm.dscale, &final_norm.dshift, &dout_head_});
    return p;
}

std::vector<std::string> GPTModel::parameter_names() const {
    std::vector<std::string> names = {"tok_emb.weight", "pos_emb.weight"};
    for (std::size_t i = 0; i < trf_blocks.size(); ++i) {
        const std::string b = fmt::format("trf_blocks.{}.", i);
        for (const char* w : {"W_query", "W_key", "W_value"}) names.push_back(b + "att." + w + ".weight");
        names.insert(names.end(), {b + "att.out_proj.weight", b + "att.out_proj.bias"});
        const auto feed_forward = [&](const std::string& ff) {
            for (const char* part : {"layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias"})
                names.push_back(ff + part);
        };
        if (trf_blocks[i].ff) {
            feed_forward(b + "ff.");
        } else {
            names.push_back(b + "ff.router.weight");
            for (std::size_t e = 0; e < cfg_.num_experts; ++e) feed_forward(fmt::format("{}ff.experts.{}.", b, e));
        }
        for (const char* n : {"norm1.scale", "norm1.shift", "norm2.scale", "norm2.shift"}) names.push_back(b + n);
    }
    names.insert(names.end(), {"final_norm.scale", "final_norm.shift", "out_head.weight"});
    return names;
}

void GPTModel::zero_grad() {
    for (Tensor* g : gradients()) std::fill(g->values().begin(), g->values().end(), 0.0f);
}

std::size_t GPTModel::num_parameters() {
    std::size_t n = 0;
    for (const Tensor* p : parameters()) n += p->numel();
    return n;
}

std::size_t GPTModel::num_active_parameters() {
    std::size_t n = num_parameters();
    for (const TransformerBlock& block : trf_blocks)
        if (block.moe) n -= (block.moe->num_experts - block.moe->top_k) * block.moe->experts.front().num_parameters();
    return n;
}

}  // namespace wb
