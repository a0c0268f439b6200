#include "lib/char_rnn.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "lib/errors.hpp"
#include "lib/layers.hpp"
#include "lib/linear.hpp"
#include "lib/ops.hpp"
#include "lib/words.hpp"

namespace wb {
namespace {

Tensor head_weight(const CharRNNConfig& cfg, Generator& g) {
    const auto bound = static_cast<float>(linear_weight_bound(cfg.hidden));
    return g.uniform({cfg.vocab_size, cfg.hidden}, -bound, bound);
}
Tensor head_bias(const CharRNNConfig& cfg, Generator& g) {
    const auto bound = static_cast<float>(linear_bias_bound(cfg.hidden));
    return g.uniform({cfg.vocab_size}, -bound, bound);
}

}  // namespace

CharRNN::CharRNN(const CharRNNConfig& cfg, Generator& g)
    : wte(g.randn({cfg.vocab_size, cfg.n_embd})),
      cell(cfg.n_embd, cfg.hidden, g),
      W_head(head_weight(cfg, g)),
      b_head(head_bias(cfg, g)),
      cfg_(cfg),
      dwte_(zeros(wte.shape())),
      dW_head_(zeros(W_head.shape())),
      db_head_(zeros(b_head.shape())) {}

std::vector<Tensor*> CharRNN::parameters() { return {&wte, &cell.weight_ih, &cell.weight_hh, &cell.bias_ih, &cell.bias_hh, &W_head, &b_head}; }
std::vector<Tensor*> CharRNN::gradients() {
    return {&dwte_, &cell.dweight_ih, &cell.dweight_hh, &cell.dbias_ih, &cell.dbias_hh, &dW_head_, &db_head_};
}

void CharRNN::zero_grad() {
    for (Tensor* d : gradients()) std::fill(d->values().begin(), d->values().end(), 0.0f);
}

std::size_t CharRNN::num_parameters() {
    std::size_t n = 0;
    for (const Tensor* p : parameters()) n += p->numel();
    return n;
}

const Tensor& CharRNN::forward(const std::vector<std::size_t>& idx, std::size_t B, std::size_t T) {
    if (B == 0 || T == 0 || idx.size() != B * T)
        throw ShapeError(fmt::format("CharRNN::forward: {} token ids for B = {} rows of T = {}", idx.size(), B, T));
    B_ = B;
    T_ = T;
    idx_ = idx;
    const std::size_t H = cfg_.hidden;
    xs_.clear();
    std::vector<std::size_t> column(B);
    for (std::size_t t = 0; t < T; ++t) {
        for (std::size_t b = 0; b < B; ++b) column[b] = idx[b * T + t];
        xs_.push_back(embedding_forward(wte, column));  // (B, E)
    }
    // padding comes after a name's end, so it never reaches the states a target reads
    run_ = rnn_forward(cell, xs_, zeros({B, H}), std::vector<std::size_t>(B, T), false);
    hs_ = Tensor(Shape{B * T, H});  // row b * T + t: h_t of row b
    for (std::size_t t = 0; t < T; ++t) {
        const Tensor& h = rnn_state_at(run_, t);
        for (std::size_t b = 0; b < B; ++b) std::copy_n(h.data() + b * H, H, hs_.data() + (b * T + t) * H);
    }
    logits_ = linear_forward(hs_, W_head, b_head).reshape({B, T, cfg_.vocab_size});
    return logits_;
}

float CharRNN::loss(const std::vector<std::int64_t>& targets) {
    if (targets.size() != B_ * T_)
        throw ShapeError(fmt::format("CharRNN::loss: {} targets for the last forward's {} x {} positions",
                                     targets.size(), B_, T_));
    const std::size_t V = cfg_.vocab_size;
    rows_.clear();
    targets_.clear();
    for (std::size_t r = 0; r < targets.size(); ++r)
        if (targets[r] >= 0) {
            rows_.push_back(r);
            targets_.push_back(static_cast<std::size_t>(targets[r]));
        }
    if (rows_.empty()) throw ValueError("CharRNN::loss: every target is padding (-1)");
    Tensor logits(Shape{rows_.size(), V});
    for (std::size_t k = 0; k < rows_.size(); ++k) std::copy_n(logits_.data() + rows_[k] * V, V, logits.data() + k * V);
    ce_ = cross_entropy_forward(logits, targets_, probs_);
    return ce_;
}

void CharRNN::backward() {
    const std::size_t V = cfg_.vocab_size, H = cfg_.hidden, B = B_, T = T_;
    const Tensor dlogits_kept = cross_entropy_backward(probs_, targets_);  // (N, V)
    Tensor dlogits = zeros({B * T, V});
    for (std::size_t k = 0; k < rows_.size(); ++k)
        std::copy_n(dlogits_kept.data() + k * V, V, dlogits.data() + rows_[k] * V);
    const Tensor dhs = linear_backward(dlogits, hs_, W_head, dW_head_, &db_head_);  // (B*T, H)
    std::vector<Tensor> dh(T, Tensor(Shape{B, H}));
    for (std::size_t t = 0; t < T; ++t)
        for (std::size_t b = 0; b < B; ++b) std::copy_n(dhs.data() + (b * T + t) * H, H, dh[t].data() + b * H);
    Tensor dh0;
    const std::vector<Tensor> dxs = rnn_backward(cell, run_, xs_, dh, Tensor(), dh0);
    std::vector<std::size_t> column(B);
    for (std::size_t t = 0; t < T; ++t) {
        for (std::size_t b = 0; b < B; ++b) column[b] = idx_[b * T + t];
        embedding_backward(dxs[t], column, dwte_);
    }
}

TrainHistory train(CharRNN& model, const SequenceDataset& data, Generator& g, const TrainOptions& options,
                   Optimizer& optimizer) {
    std::vector<std::size_t> Xb;
    std::vector<std::int64_t> Yb;
    return train_steps(
        data.size(), g, options, optimizer,
        [&](const std::vector<std::int64_t>& ix) {
            data.gather(ix, Xb, Yb);
            model.forward(Xb, ix.size(), data.block_size);
            return std::pair{model.loss(Yb), count_targets(Yb)};
        },
        [&] { model.backward(); });
}

float evaluate(CharRNN& model, const SequenceDataset& data) {
    return evaluate_in_chunks(data, [&](const std::vector<std::size_t>& X, const std::vector<std::int64_t>& Y,
                                        std::size_t rows) {
        model.forward(X, rows, data.block_size);
        return model.loss(Y);
    });
}

std::string sample_word(CharRNN& model, Generator& g) {
    const CharRNNConfig& cfg = model.config();
    Tensor h = zeros({1, cfg.hidden});
    std::size_t ix = 0;  // '.' starts every name
    std::string out;
    while (out.size() < cfg.context_length) {
        h = model.cell.forward(embedding_forward(model.wte, {ix}), h);
        const Tensor logits = linear_forward(h, model.W_head, model.b_head).reshape({cfg.vocab_size});
        ix = static_cast<std::size_t>(g.multinomial(softmax(logits, -1), 1)[0]);
        out += itos(ix);
        if (ix == 0) return out;
    }
    return out;
}

}  // namespace wb
