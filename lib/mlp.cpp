#include "lib/mlp.hpp"

#include <fmt/format.h>

#include "lib/errors.hpp"
#include "lib/kernels.hpp"
#include "lib/parallel.hpp"
#include "lib/vector_math.hpp"

namespace wb {
namespace {

// Reuses a buffer while the batch size stays the same: a training step allocates nothing.
void ensure_shape(Tensor& t, std::size_t rows, std::size_t cols) {
    if (t.dim() != 2 || t.size(0) != rows || t.size(1) != cols) t = Tensor(Shape{rows, cols});
}

// The step is split over the cores (lib/parallel.hpp) in chunks of this many rows
// of the batch, or hidden units: makemore's batch of 32 and 200 units make two
// chunks each, one per core on this course's 2-core machines. The chunk sizes are
// part of the numerics, like a seed: BLAS rounds a 16-row product differently
// from a 32-row one, so changing them changes lesson 02's losses in the 4th digit.
constexpr std::size_t kRowsPerChunk = 16;
constexpr std::size_t kUnitsPerChunk = 100;

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

    // Each row of the batch goes through on its own: rows [r0, r1) at a time.
    parallel_for(B, kRowsPerChunk, [&](std::size_t r0, std::size_t r1) {
        const std::size_t rows = r1 - r0;
        float* emb = emb_.data() + r0 * T * E;
        float* h = h_.data() + r0 * H;
        float* logits = logits_.data() + r0 * V;
        // emb (rows, T*E): row b holds the T embeddings of context b side by side, which
        // is what C[X].view(B, T*E) lays out, so the lookup can go character by character.
        detail::embedding_forward(emb, weights.C.data(), std::span(X_).subspan(r0 * T, rows * T), E);
        // h (rows, H) = tanh(emb @ W1 + b1)
        detail::gemm(false, false, rows, H, T * E, emb, weights.W1.data(), h, 0.0f);
        detail::add_bias(h, weights.b1.data(), rows, H);
        detail::tanh(h, h, rows * H);
        // logits (rows, V) = h @ W2 + b2
        detail::gemm(false, false, rows, V, H, h, weights.W2.data(), logits, 0.0f);
        detail::add_bias(logits, weights.b2.data(), rows, V);
    });
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
    // The gradients of the activations, row by row: rows [r0, r1) at a time.
    parallel_for(B, kRowsPerChunk, [&](std::size_t r0, std::size_t r1) {
        const std::size_t rows = r1 - r0;
        float* dh = dh_.data() + r0 * H;
        // logits = h @ W2 + b2:  dh = dlogits @ W2.T
        detail::gemm(false, true, rows, H, V, dlogits_.data() + r0 * V, weights.W2.data(), dh, 0.0f);
        // h = tanh(hpre):  dhpre = dh * (1 - h^2), in place
        detail::tanh_backward(dh, dh, h_.data() + r0 * H, rows * H);
        // hpre = emb @ W1 + b1:  demb = dhpre @ W1.T
        detail::gemm(false, true, rows, T * E, H, dh, weights.W1.data(), demb_.data() + r0 * T * E, 0.0f);
    });
    // The weights' gradients sum over the whole batch, so these split the hidden
    // units instead: units [j0, j1) at a time, all rows each.
    parallel_for(H, kUnitsPerChunk, [&](std::size_t j0, std::size_t j1) {
        const std::size_t units = j1 - j0;
        // dW2 += h.T @ dlogits: rows [j0, j1) of dW2 (H, V)
        detail::gemm(true, false, units, V, B, h_.data() + j0, H, dlogits_.data(), V, grads.W2.data() + j0 * V, V,
                     1.0f);
        // dW1 += emb.T @ dhpre: columns [j0, j1) of dW1 (T*E, H);  db1 += dhpre summed over the batch
        detail::gemm(true, false, T * E, units, B, emb_.data(), T * E, dh_.data() + j0, H, grads.W1.data() + j0, H,
                     1.0f);
        detail::add_column_sums(grads.b1.data() + j0, dh_.data() + j0, B, units, H);
    });
    // db2 += dlogits summed over the batch
    detail::add_column_sums(grads.b2.data(), dlogits_.data(), B, V);
    // emb = C[X]:  each embedding's gradient goes back to its character's row of C
    detail::embedding_backward(grads.C.data(), demb_.data(), X_, E);
}

}  // namespace wb
