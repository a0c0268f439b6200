#pragma once
// Bengio et al. (2003)'s neural probabilistic language model, as makemore part 2
// builds it: look up each of the previous block_size characters in an embedding
// table, lay the vectors side by side, one tanh hidden layer, then the logits of
// the next character. T = block_size, E = n_embd, H = n_hidden, V = vocab_size.
//
//   emb    (B, T*E) = C[X]              C (V, E): one E-vector per character
//   hpre   (B, H)   = emb @ W1 + b1     W1 (T*E, H), b1 (H)
//   h      (B, H)   = tanh(hpre)
//   logits (B, V)   = h @ W2 + b2       W2 (H, V), b2 (V)
//   loss            = cross_entropy(logits, Y)
//
// The weights are laid out as the walkthrough writes them (emb @ W1, not
// nn.Linear's weight.T) and drawn as it draws them: C, W1, b1, W2, b2, each
// torch.randn(shape, generator=g), in that order.
//
//   MLP model(MLPConfig{}, g);
//   model.zero_grad();
//   model.forward(Xb);                 // logits for a batch of contexts
//   float loss = model.loss(Yb);       // F.cross_entropy(logits, Yb)
//   model.backward();                  // loss.backward()
//   SGD(model.parameters(), model.gradients()).step(0.1f);
#include <cstddef>
#include <vector>

#include "lib/model.hpp"
#include "lib/ngram_dataset.hpp"
#include "lib/random.hpp"
#include "lib/tensor.hpp"

namespace wb {

struct MLPConfig {
    std::size_t vocab_size = 27;
    std::size_t block_size = 3;
    std::size_t n_embd = 10;
    std::size_t n_hidden = 200;
};

struct MLPWeights {
    Tensor C, W1, b1, W2, b2;
};

class MLP : public Model {
public:
    MLP(const MLPConfig& config, Generator& g);

    const MLPConfig& config() const { return config_; }
    std::size_t block_size() const override { return config_.block_size; }
    MLPWeights weights;
    MLPWeights grads;  // same shapes; backward() adds into them

    std::vector<Tensor*> parameters() override;
    std::vector<Tensor*> gradients() override;

    // X: B contexts of block_size character indices, row after row -> logits (B, V).
    // Keeps what backward needs; the reference stays valid until the next forward.
    const Tensor& forward(const std::vector<std::size_t>& X) override;
    // The mean cross-entropy of the last forward's logits against the targets Y (B).
    float loss(const std::vector<std::size_t>& Y) override;
    // The gradients of the last loss, added into grads.
    void backward() override;

private:
    MLPConfig config_;
    std::size_t batch_ = 0;
    std::vector<std::size_t> X_, Y_;
    Tensor emb_, h_, logits_, probs_;  // activations of the last forward
    Tensor dlogits_, dh_, demb_;       // scratch for backward
};

}  // namespace wb
