#include "lib/additive_attention.hpp"

#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "lib/errors.hpp"
#include "lib/layers.hpp"
#include "lib/linear.hpp"
#include "lib/vector_math.hpp"

namespace wb {
namespace {

Tensor linear_weight(std::size_t in, std::size_t out, Generator& g) { return Linear(in, out, false, g).weight; }

}  // namespace

AdditiveAttention::AdditiveAttention(std::size_t decoder_size, std::size_t encoder_size, std::size_t attention_size,
                                     Generator& g)
    : W1(linear_weight(decoder_size, attention_size, g)),
      W2(linear_weight(encoder_size, attention_size, g)),
      v(linear_weight(attention_size, 1, g).reshape({attention_size})),
      dW1(zeros(W1.shape())),
      dW2(zeros(W2.shape())),
      dv(zeros(v.shape())) {}

Tensor AdditiveAttention::keys(const Tensor& h) const { return linear_forward(h, W2, Tensor()); }

Tensor AdditiveAttention::keys_backward(const Tensor& dkeys, const Tensor& h) {
    return linear_backward(dkeys, h, W2, dW2, nullptr);
}

AdditiveStep AdditiveAttention::forward(const Tensor& s, const Tensor& h, const Tensor& keys,
                                        const std::vector<std::size_t>& lengths) const {
    const std::size_t A = W1.size(0);
    if (s.dim() != 2 || h.dim() != 3 || keys.dim() != 3 || s.size(0) != h.size(0) || keys.size(0) != h.size(0) ||
        keys.size(1) != h.size(1) || keys.size(2) != A || h.size(2) != W2.size(1) || lengths.size() != h.size(0))
        throw ShapeError(fmt::format("additive attention: s {}, h {} and keys {} must be (B, {}), (B, T, {}) and (B, T, "
                                     "{}) with {} lengths",
                                     to_string(s.shape()), to_string(h.shape()), to_string(keys.shape()), W1.size(1),
                                     W2.size(1), A, lengths.size()));
    const std::size_t B = h.size(0), T = h.size(1), C = h.size(2);
    for (const std::size_t n : lengths)
        if (n == 0 || n > T)
            throw ValueError(fmt::format("additive attention: a sequence of length {}: give 1 to {} (T)", n, T));
    const Tensor q = linear_forward(s, W1, Tensor());  // (B, A): W1 s
    AdditiveStep step{.context = zeros({B, C}), .weights = zeros({B, T}),
                      .scores = full({B, T}, -std::numeric_limits<float>::infinity()), .u = zeros({B, T, A})};
    for (std::size_t b = 0; b < B; ++b) {
        // positions past the sequence's end keep the score -inf: weight 0
        float max = -std::numeric_limits<float>::infinity();
        for (std::size_t i = 0; i < lengths[b]; ++i) {
            float* u = step.u.data() + (b * T + i) * A;
            const float* k = keys.data() + (b * T + i) * A;
            for (std::size_t a = 0; a < A; ++a) u[a] = q.data()[b * A + a] + k[a];  // W1 s + W2 h_i
            detail::tanh(u, u, A);
            const float e = detail::dot(v.data(), u, A);  // v . tanh(...)
            step.scores(b, i) = e;
            max = std::max(max, e);
        }
        float total = 0.0f;
        for (std::size_t i = 0; i < lengths[b]; ++i) {
            step.weights(b, i) = std::exp(step.scores(b, i) - max);
            total += step.weights(b, i);
        }
        for (std::size_t i = 0; i < lengths[b]; ++i) {
            step.weights(b, i) /= total;
            detail::axpy(step.weights(b, i), h.data() + (b * T + i) * C, step.context.data() + b * C, C);  // c += alpha_i h_i
        }
    }
    return step;
}

void AdditiveAttention::backward(const Tensor& dcontext, const Tensor& s, const Tensor& h, const AdditiveStep& step,
                                 Tensor& ds, Tensor& dh, Tensor& dkeys) {
    const std::size_t B = h.size(0), T = h.size(1), C = h.size(2), A = W1.size(0);
    if (dcontext.shape() != step.context.shape() || dh.shape() != h.shape() || dkeys.shape() != step.u.shape())
        throw ShapeError(fmt::format("additive attention backward: dcontext {}, dh {}, dkeys {} for context {}, h {}",
                                     to_string(dcontext.shape()), to_string(dh.shape()), to_string(dkeys.shape()),
                                     to_string(step.context.shape()), to_string(h.shape())));
    Tensor dq = zeros({B, A});  // the gradient of W1 s, summed over the positions
    std::vector<float> dalpha(T);
    for (std::size_t b = 0; b < B; ++b) {
        const float* dc = dcontext.data() + b * C;
        // c = sum_i alpha_i h_i:  dalpha_i = dc . h_i,  dh_i += alpha_i dc
        float weighted = 0.0f;  // sum_k alpha_k dalpha_k
        for (std::size_t i = 0; i < T; ++i) {
            const float alpha = step.weights(b, i);
            dalpha[i] = detail::dot(dc, h.data() + (b * T + i) * C, C);
            detail::axpy(alpha, dc, dh.data() + (b * T + i) * C, C);
            weighted += alpha * dalpha[i];
        }
        for (std::size_t i = 0; i < T; ++i) {
            const float de = step.weights(b, i) * (dalpha[i] - weighted);  // softmax's backward; 0 past the end
            if (de == 0.0f) continue;
            // e = v . u:  dv += de u,  du = de v;  u = tanh(pre): dpre = du (1 - u^2)
            const float* u = step.u.data() + (b * T + i) * A;
            float* dk = dkeys.data() + (b * T + i) * A;
            detail::axpy(de, u, dv.data(), A);
            for (std::size_t a = 0; a < A; ++a) {
                const float dpre = de * v(a) * (1.0f - u[a] * u[a]);
                dk[a] += dpre;                   // pre = W1 s + W2 h_i: the key's share
                dq.data()[b * A + a] += dpre;    // and the query's
            }
        }
    }
    ds = linear_backward(dq, s, W1, dW1, nullptr);  // (B, D); adds dq.T @ s into dW1
}

std::vector<Tensor*> AdditiveAttention::parameters() { return {&W1, &W2, &v}; }
std::vector<Tensor*> AdditiveAttention::gradients() { return {&dW1, &dW2, &dv}; }

}  // namespace wb
