#pragma once
// A character-level RNN language model (Elman 1990; Mikolov et al. 2010), the
// capstone's recurrent contender: each character's embedding goes into a tanh RNN
// cell, and the state after it predicts the next character. T time steps, B rows,
// E = n_embd, H = hidden, V = vocab_size.
//
//   x_t (B, E)      = wte[idx_t]
//   h_t (B, H)      = tanh(x_t @ W_ih.T + b_ih + h_{t-1} @ W_hh.T + b_hh),   h_{-1} = 0
//   logits_t (B, V) = h_t @ W_head.T + b_head
//   loss            = cross_entropy(logits, targets, ignore_index=-1)
//
// Everything the name so far says must fit in h_t. And h_t needs h_{t-1}: the T
// steps run one after another, where a transformer's positions run side by side.
// Drawn in this order: wte (torch.randn, as nn.Embedding), the cell (nn.RNNCell),
// the head (nn.Linear(H, V)).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "lib/optim.hpp"
#include "lib/random.hpp"
#include "lib/rnn.hpp"
#include "lib/sequence_dataset.hpp"
#include "lib/tensor.hpp"
#include "lib/train.hpp"

namespace wb {

struct CharRNNConfig {
    std::size_t vocab_size = 27;
    std::size_t n_embd = 64;
    std::size_t hidden = 400;
    std::size_t context_length = 16;  // the longest name it is asked to read (sampling stops there)
};

class CharRNN {
public:
    CharRNN(const CharRNNConfig& cfg, Generator& g);

    // idx: B rows of T token ids -> logits (B, T, V)
    const Tensor& forward(const std::vector<std::size_t>& idx, std::size_t B, std::size_t T);
    // the mean cross-entropy over the targets that are not -1 (padding)
    float loss(const std::vector<std::int64_t>& targets);
    float cross_entropy() const { return ce_; }
    // gradients of the last loss, added into gradients()
    void backward();

    std::vector<Tensor*> parameters();
    std::vector<Tensor*> gradients();
    void zero_grad();
    std::size_t num_parameters();
    const CharRNNConfig& config() const { return cfg_; }

    Tensor wte;
    RNNCell cell;
    Tensor W_head, b_head;

private:
    CharRNNConfig cfg_;
    Tensor dwte_, dW_head_, db_head_;
    std::size_t B_ = 0, T_ = 0;
    std::vector<std::size_t> idx_;
    std::vector<Tensor> xs_;
    RNNRun run_;
    Tensor hs_, logits_, probs_;  // (B*T, H), (B, T, V), (N, V)
    std::vector<std::size_t> rows_, targets_;
    float ce_ = 0.0f;
};

// Trains on whole names, batch_size rows a step (the GPT's loop: lib/train.hpp).
TrainHistory train(CharRNN& model, const SequenceDataset& data, Generator& g, const TrainOptions& options,
                   Optimizer& optimizer);
// The mean cross-entropy per predicted character over every row of data.
float evaluate(CharRNN& model, const SequenceDataset& data);
// A name drawn one character at a time (torch.multinomial on softmax of the logits),
// carrying the state along: one cell step per character.
std::string sample_word(CharRNN& model, Generator& g);

}  // namespace wb
