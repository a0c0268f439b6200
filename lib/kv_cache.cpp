#include "lib/kv_cache.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "lib/errors.hpp"
#include "lib/ops.hpp"

namespace wb {

CachedGPT::CachedGPT(GPTModel& model) : model_(model) {
    const GPTConfig& cfg = model.config();
    if (cfg.num_experts != 0)
        throw ValueError(fmt::format("CachedGPT: the model has {} experts per layer; the cache is written for the dense "
                                     "GPT (num_experts 0)",
                                     cfg.num_experts));
    for (std::size_t layer = 0; layer < cfg.n_layers; ++layer) {
        keys_.push_back(zeros({cfg.context_length, cfg.emb_dim}));
        values_.push_back(zeros({cfg.context_length, cfg.emb_dim}));
    }
}

std::uint64_t CachedGPT::cache_bytes() const {
    const GPTConfig& cfg = model_.config();
    return 2ull * cfg.n_layers * length_ * cfg.emb_dim * sizeof(float);
}

Tensor CachedGPT::step(std::size_t token) {
    const GPTConfig& cfg = model_.config();
    const std::size_t C = cfg.emb_dim, pos = length_;
    if (token >= cfg.vocab_size)
        throw IndexError(fmt::format("CachedGPT::step: token {} is outside the vocabulary of {}", token,
                                     cfg.vocab_size));
    if (pos >= cfg.context_length)
        throw ValueError(fmt::format("CachedGPT::step: {} tokens are cached, the model's whole context; reset() to "
                                     "start a new sequence",
                                     pos));
    // x (1, 1, C) = tok_emb[token] + pos_emb[pos]
    Tensor x = zeros({1, 1, C});
    for (std::size_t c = 0; c < C; ++c) x.data()[c] = model_.tok_emb(token, c) + model_.pos_emb(pos, c);
    for (std::size_t layer = 0; layer < cfg.n_layers; ++layer) {
        TransformerBlock& block = model_.trf_blocks[layer];
        GroupedQueryAttention& att = block.att;
        const Tensor h = block.norm1.forward(x);
        const Tensor q = att.W_query.forward(h), k = att.W_key.forward(h), v = att.W_value.forward(h);  // (1, 1, C)
        // the new token's key and value join the cache; its query reads all of it
        std::copy_n(k.data(), C, keys_[layer].data() + pos * C);
        std::copy_n(v.data(), C, values_[layer].data() + pos * C);
        const std::size_t hd = att.head_dim;
        const float scale = static_cast<float>(std::sqrt(static_cast<double>(hd)));
        Tensor context = zeros({1, 1, C});
        std::vector<float> w(pos + 1);
        for (std::size_t head = 0; head < att.num_heads; ++head) {
            const std::size_t qo = head * hd, ko = att.kv_head_of(head) * hd;
            float w_max = -std::numeric_limits<float>::infinity();
            for (std::size_t s = 0; s <= pos; ++s) {  // scores against every cached key, none from the future
                float dot = 0.0f;
                for (std::size_t i = 0; i < hd; ++i) dot += q.data()[qo + i] * keys_[layer](s, ko + i);
                w[s] = dot / scale;
                w_max = std::max(w_max, w[s]);
            }
            float total = 0.0f;
            for (float& ws : w) total += (ws = std::exp(ws - w_max));
            for (std::size_t s = 0; s <= pos; ++s)
                for (std::size_t i = 0; i < hd; ++i)
                    context.data()[qo + i] += w[s] / total * values_[layer](s, ko + i);
        }
        x = x + att.out_proj.forward(context);
        x = x + block.ff->forward(block.norm2.forward(x));
    }
    ++length_;
    const Tensor logits = model_.out_head.forward(model_.final_norm.forward(x));
    return logits.reshape({cfg.vocab_size});
}

Tensor last_logits(GPTModel& model, const std::vector<std::size_t>& tokens) {
    const std::size_t T = tokens.size(), V = model.config().vocab_size;
    const Tensor& logits = model.forward(tokens, 1, T);  // (1, T, V)
    return Tensor({V}, std::vector<float>(logits.data() + (T - 1) * V, logits.data() + T * V));
}

}  // namespace wb
