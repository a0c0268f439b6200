#pragma once
// The book's GPTModel (chapter 4), small enough to train on names in minutes: token
// and position embeddings, n_layers transformer blocks, a final LayerNorm and the
// output head. Each block is pre-LayerNorm with residual connections:
//
//   x (B, T, C) = tok_emb[idx] + pos_emb[0..T)
//   per block:  x = x + att(norm1(x))          causal multi-head attention
//               x = x + ff(norm2(x))           FeedForward, or a mixture of experts
//   logits (B, T, V) = out_head(final_norm(x))
//   loss = cross_entropy(logits, targets, ignore_index=-1) (+ the experts' balancing loss)
//
// Weights are drawn in the book's order (tok_emb, pos_emb, then per block att, ff,
// norm1, norm2, then final_norm, out_head), each as torch initialises it, so a
// seed gives the same model as torch.manual_seed(seed); GPTModel(cfg).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "lib/feed_forward.hpp"
#include "lib/grouped_query_attention.hpp"
#include "lib/linear.hpp"
#include "lib/moe.hpp"
#include "lib/random.hpp"
#include "lib/tensor.hpp"

namespace wb {

struct GPTConfig {
    std::size_t vocab_size = 27;
    std::size_t context_length = 16;
    std::size_t emb_dim = 64;
    std::size_t n_heads = 4;
    std::size_t n_layers = 4;
    // 0: each block's feed-forward is the book's FeedForward (hidden 4 * emb_dim);
    // otherwise a MixtureOfExperts of num_experts FeedForwards of expert_hidden.
    std::size_t num_experts = 0;
    std::size_t top_k = 2;
    std::size_t expert_hidden = 128;
    float aux_loss_alpha = 0.01f;  // the load-balancing loss's weight, per MoE layer
};

// The book's LayerNorm: (x - mean) / sqrt(var + 1e-5) * scale + shift over the last
// dimension, with the biased variance (as nn.LayerNorm).
struct LayerNorm {
    explicit LayerNorm(std::size_t emb_dim);
    Tensor forward(const Tensor& x);         // (..., C) -> (..., C)
    Tensor backward(const Tensor& dout);     // adds into dscale, dshift
    Tensor scale, shift, dscale, dshift;

private:
    Tensor x_, mean_, rstd_;
};

struct TransformerBlock {
    TransformerBlock(const GPTConfig& cfg, Generator& g);
    Tensor forward(const Tensor& x);     // (B, T, C) -> (B, T, C)
    Tensor backward(const Tensor& dout, float aux_alpha);
    std::vector<Tensor*> parameters();
    std::vector<Tensor*> gradients();

    GroupedQueryAttention att;             // the book's MultiHeadAttention
    std::unique_ptr<FeedForward> ff;       // dense blocks
    std::unique_ptr<MixtureOfExperts> moe; // or MoE blocks
    LayerNorm norm1, norm2;
};

class GPTModel {
public:
    GPTModel(const GPTConfig& cfg, Generator& g);

    // idx: B rows of T token ids (T <= context_length) -> logits (B, T, V)
    const Tensor& forward(const std::vector<std::size_t>& idx, std::size_t B, std::size_t T);
    // The mean cross-entropy over the targets that are not -1 (padding), plus, for
    // MoE models, aux_loss_alpha times each layer's load-balancing loss.
    float loss(const std::vector<std::int64_t>& targets);
    // The last loss's cross-entropy part and balancing part
    float cross_entropy() const { return ce_; }
    float aux_loss() const { return aux_; }
    // Gradients of the last loss, added into gradients()
    void backward();

    // The book's named_parameters() order; names as torch prints them
    std::vector<Tensor*> parameters();
    std::vector<Tensor*> gradients();
    std::vector<std::string> parameter_names() const;
    void zero_grad();
    std::size_t num_parameters();
    // Per token: all but the experts the router does not choose
    std::size_t num_active_parameters();
    // The last forward's output of the final LayerNorm (B, T, C): each token's vector
    // after attention has mixed in its context
    const Tensor& final_hidden() const { return h_final_; }

    const GPTConfig& config() const { return cfg_; }
    Tensor tok_emb, pos_emb;
    std::vector<TransformerBlock> trf_blocks;
    LayerNorm final_norm;
    Linear out_head;

private:
    GPTConfig cfg_;
    Tensor dtok_emb_, dpos_emb_, dout_head_;
    std::size_t B_ = 0, T_ = 0;
    std::vector<std::size_t> idx_;
    Tensor h_final_, logits_, probs_;
    std::vector<std::size_t> rows_, targets_;  // the positions that count, and their targets
    float ce_ = 0.0f, aux_ = 0.0f;
};

}  // namespace wb
