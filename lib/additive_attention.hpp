#pragma once
// Bahdanau, Cho & Bengio (2014)'s attention, "additive" because the query and the
// key are added inside a tanh before they are scored, where lessons 03-07 multiply
// them (dot-product attention). For decoder step j, with the decoder's previous
// state s = s_{j-1} and the encoder's states h_i (one per input position):
//
//   e_i   = v . tanh(W1 s + W2 h_i)      a score per input position (the paper's a(s, h))
//   alpha = softmax(e)                   over the positions of this sequence only
//   c     = sum_i alpha_i h_i            the context vector the decoder reads at step j
//
// Shapes: B batch, T input positions (padded), C = the encoder's width, D = the
// decoder's, A = the attention's. W2 h_i does not depend on j, so it is computed
// once per input (keys()) and reused at every decoder step.
#include <cstddef>
#include <vector>

#include "lib/random.hpp"
#include "lib/tensor.hpp"

namespace wb {

// What one decoder step's attention computed, kept for its backward.
struct AdditiveStep {
    Tensor context;  // (B, C)
    Tensor weights;  // (B, T): alpha, 0 past each sequence's end
    Tensor scores;   // (B, T): e, -inf past each sequence's end
    Tensor u;        // (B, T, A): tanh(W1 s + W2 h_i)
};

struct AdditiveAttention {
    // W1 = nn.Linear(D, A, bias=False), W2 = nn.Linear(C, A, bias=False), then
    // v = nn.Linear(A, 1, bias=False)'s weight as a vector, drawn in that order.
    AdditiveAttention(std::size_t decoder_size, std::size_t encoder_size, std::size_t attention_size, Generator& g);

    // h (B, T, C) -> keys (B, T, A) = h @ W2.T
    Tensor keys(const Tensor& h) const;
    // dkeys (B, T, A) -> dh (B, T, C); adds into dW2
    Tensor keys_backward(const Tensor& dkeys, const Tensor& h);

    // s (B, D), h (B, T, C), keys (B, T, A), lengths (B, each 1..T) -> the step
    AdditiveStep forward(const Tensor& s, const Tensor& h, const Tensor& keys,
                         const std::vector<std::size_t>& lengths) const;
    // dcontext (B, C) -> ds (B, D) (set); adds into dh (B, T, C), dkeys (B, T, A), dW1, dv
    void backward(const Tensor& dcontext, const Tensor& s, const Tensor& h, const AdditiveStep& step, Tensor& ds,
                  Tensor& dh, Tensor& dkeys);

    std::vector<Tensor*> parameters();
    std::vector<Tensor*> gradients();

    Tensor W1, W2, v;     // (A, D), (A, C), (A)
    Tensor dW1, dW2, dv;  // same shapes
};

}  // namespace wb
