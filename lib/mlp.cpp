#include "lib/mlp.hpp"

#include <fmt/format.h>

#include "lib/errors.hpp"
#include "lib/kernels.hpp"
#include "lib/vector_math.hpp"

namespace wb {
namespace {

// Reuses a buffer while the batch size stays the same: a training step allocates nothing.
void ensure_shape(Tensor& t, std::size_t rows, std::size_t cols) {
    if (t.dim() != 2 || t.size(0) != rows || t.size(1) != cols) t = Tensor(Shape{rows, cols});
}

}  // namespace

MLP::MLP(const MLPConfig& config, Generator& g) : config_(config) {
    const auto [V, T, E, H] = config;
    if (V == 0 || T == 0 || E == 0 || H == 0)
        throw ValueError(fmt::format("MLP: every size must be at least 1 (vocab {}, block {}, embd {}, hidden {})", V,
                                     T, E, H));
    weights.C = g.randn({V, E});
    weights.W1 = g.randn({T * E, H});
    weights.b1 = g.randn({H});
    weights.W2 = g.randn({H, V});
    weights.b2 = g.randn({V});
    grads = MLPWeights{zeros({V, E}), zeros({T * E, H}), zeros({H}), zeros({H, V}), zeros({V})};
}

std::vector<Tensor*> MLP::parameters() { return {&weights.C, &weights.W1, &weights.b1, &weights.W2, &weights.b2}; }
std::vector<Tensor*> MLP::gradients() { return {&grads.C, &grads.W1, &grads.b1, &grads.W2, &grads.b2}; }

const Tensor& MLP::forward(const std::vector<std::size_t>& X) {
    const auto [V, T, E, H] = config_;
    if (X.empty() || X.size() % T != 0)
        throw ShapeError(fmt::format("MLP: {} context indices do not make whole contexts of {}", X.size(), T));
    detail::check_indices(X, V, "MLP (a context's character)");
    const std::size_t B = X.size() / T;
    batch_ = B;
    X_ = X;
    ensure_shape(emb_, B, T * E);
    ensure_shape(h_, B, H);
    ensure_shape(logits_, B, V);

    // emb (B, T*E): row b holds the T embeddings of context b side by side, which is
    // what C[X].view(B, T*E) lays out, so the lookup can go character by character.
    detail::embedding_forward(emb_.data(), weights.C.data(), X, E);
    // h (B, H) = tanh(emb @ W1 + b1)
    detail::gemm(false, false, B, H, T * E, emb_.data(), weights.W1.data(), h_.data(), 0.0f);
    detail::add_bias(h_.data(), weights.b1.data(), B, H);
    detail::tanh(h_.data(), h_.data(), B * H);
    // logits (B, V) = h @ W2 + b2
    detail::gemm(false, false, B, V, H, h_.data(), weights.W2.data(), logits_.data(), 0.0f);
    detail::add_bias(logits_.data(), weights.b2.data(), B, V);
    return logits_;
}

float MLP::loss(const std::vector<std::size_t>& Y) {
    const std::size_t V = config_.vocab_size;
    if (batch_ == 0) throw ValueError("MLP: loss() needs a forward() first");
    if (Y.size() != batch_)
        throw ShapeError(fmt::format("MLP: {} targets for a batch of {} contexts", Y.size(), batch_));
    detail::check_indices(Y, V, "MLP (a target)");
    Y_ = Y;
    ensure_shape(probs_, batch_, V);
    return detail::cross_entropy_forward(probs_.data(), logits_.data(), Y_, V);
}

void MLP::backward() {
    const auto [V, T, E, H] = config_;
    const std::size_t B = batch_;
    if (Y_.size() != B || B == 0) throw ValueError("MLP: backward() needs a forward() and a loss() first");
    ensure_shape(dlogits_, B, V);
    ensure_shape(dh_, B, H);
    ensure_shape(demb_, B, T * E);

    // dlogits (B, V) = (probs - one_hot(Y)) / B
    detail::cross_entropy_backward(dlogits_.data(), probs_.data(), Y_, V);
    // logits = h @ W2 + b2:  dW2 += h.T @ dlogits,  db2 += dlogits summed over the batch,  dh = dlogits @ W2.T
    detail::gemm(true, false, H, V, B, h_.data(), dlogits_.data(), grads.W2.data(), 1.0f);
    detail::add_column_sums(grads.b2.data(), dlogits_.data(), B, V);
    detail::gemm(false, true, B, H, V, dlogits_.data(), weights.W2.data(), dh_.data(), 0.0f);
    // h = tanh(hpre):  dhpre = dh * (1 - h^2), in place
    detail::tanh_backward(dh_.data(), dh_.data(), h_.data(), B * H);
    // hpre = emb @ W1 + b1:  dW1 += emb.T @ dhpre,  db1 += dhpre summed,  demb = dhpre @ W1.T
    detail::gemm(true, false, T * E, H, B, emb_.data(), dh_.data(), grads.W1.data(), 1.0f);
    detail::add_column_sums(grads.b1.data(), dh_.data(), B, H);
    detail::gemm(false, true, B, T * E, H, dh_.data(), weights.W1.data(), demb_.data(), 0.0f);
    // emb = C[X]:  each embedding's gradient goes back to its character's row of C
    detail::embedding_backward(grads.C.data(), demb_.data(), X_, E);
}

}  // namespace wb
