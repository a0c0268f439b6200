// Reference answers to lesson 02's exercises (the contract is in
// lessons/02_neural_ngram/exercises.hpp).
#include "exercises.hpp"

#include <algorithm>
#include <cmath>

#include "lib/errors.hpp"
#include "lib/layers.hpp"
#include "lib/ops.hpp"

namespace lesson02 {

float bigram_loss_and_grad(const Tensor& W, const std::vector<std::size_t>& xs, const std::vector<std::size_t>& ys,
                           Tensor& dW) {
    const std::size_t n = xs.size(), V = W.size(1);
    dW = W * (0.02f / static_cast<float>(W.numel()));  // the gradient of 0.01 * mean(W**2)
    double nll = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const Tensor logits = W.row(xs[i]);
        const Tensor p = wb::softmax(logits, 0);
        nll -= std::log(static_cast<double>(p(ys[i])));
        for (std::size_t j = 0; j < V; ++j)
            dW(xs[i], j) += (p(j) - (j == ys[i] ? 1.0f : 0.0f)) / static_cast<float>(n);
    }
    const float reg = 0.01f * wb::sum(W * W).item() / static_cast<float>(W.numel());
    return static_cast<float>(nll / static_cast<double>(n)) + reg;
}

Tensor mlp_logits(const wb::MLPWeights& w, const std::vector<std::size_t>& X) {
    const std::size_t E = w.C.size(1), T = w.W1.size(0) / E, B = X.size() / T;
    const Tensor emb = wb::embedding_forward(w.C, X).reshape({B, T * E});  // C[X].view(B, T*E)
    const Tensor h = wb::tanh_forward(wb::matmul(emb, w.W1) + w.b1);
    return wb::matmul(h, w.W2) + w.b2;
}

float cross_entropy(const Tensor& logits, const std::vector<std::size_t>& Y) {
    const std::size_t B = logits.size(0), V = logits.size(1);
    double loss = 0.0;
    for (std::size_t b = 0; b < B; ++b) {
        float row_max = logits(b, 0);
        for (std::size_t v = 1; v < V; ++v) row_max = std::max(row_max, logits(b, v));
        double total = 0.0;  // subtracting the max keeps every exp at most 1
        for (std::size_t v = 0; v < V; ++v) total += std::exp(static_cast<double>(logits(b, v) - row_max));
        loss += std::log(total) + row_max - logits(b, Y[b]);
    }
    return static_cast<float>(loss / static_cast<double>(B));
}

}  // namespace lesson02
