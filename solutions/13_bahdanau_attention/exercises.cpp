// Reference answers to lesson 13's exercises (the contract is in
// lessons/13_bahdanau_attention/exercises.hpp).
#include "exercises.hpp"

#include "lib/layers.hpp"
#include "lib/ops.hpp"

namespace lesson13 {

Tensor rnn_cell_step(const Tensor& x, const Tensor& h_prev, const Tensor& weight_ih, const Tensor& weight_hh,
                     const Tensor& bias_ih, const Tensor& bias_hh) {
    return wb::tanh_forward(wb::matmul(x, wb::T(weight_ih)) + bias_ih + wb::matmul(h_prev, wb::T(weight_hh)) + bias_hh);
}

Tensor additive_scores(const Tensor& s, const Tensor& h, const Tensor& W1, const Tensor& W2, const Tensor& v) {
    const Tensor query = wb::matmul(W1, s);                 // (A)
    const Tensor keys = wb::matmul(h, wb::T(W2));           // (T, A): row i is W2 h_i
    return wb::matmul(wb::tanh_forward(keys + query), v);  // (T): the query broadcast to every row
}

Tensor context_vector(const Tensor& weights, const Tensor& h) { return wb::matmul(weights, h); }

TwoStepGradients bptt_two_steps(const Tensor& x1, const Tensor& x2, const Tensor& h0, const Tensor& weight_ih,
                                const Tensor& weight_hh, const Tensor& bias_ih, const Tensor& bias_hh,
                                const Tensor& dh2) {
    const Tensor h1 = rnn_cell_step(x1, h0, weight_ih, weight_hh, bias_ih, bias_hh);
    const Tensor h2 = rnn_cell_step(x2, h1, weight_ih, weight_hh, bias_ih, bias_hh);
    // step 2: h2 = tanh(pre2), so dpre2 = dh2 * (1 - h2^2)
    const Tensor dpre2 = wb::tanh_backward(dh2, h2);
    const Tensor dh1 = wb::matmul(dpre2, weight_hh);
    // step 1, with the gradient that came back through weight_hh
    const Tensor dpre1 = wb::tanh_backward(dh1, h1);
    return {
        .dweight_ih = wb::matmul(wb::T(dpre2), x2) + wb::matmul(wb::T(dpre1), x1),
        .dweight_hh = wb::matmul(wb::T(dpre2), h1) + wb::matmul(wb::T(dpre1), h0),
        .dbias = wb::sum(dpre2, 0) + wb::sum(dpre1, 0),
        .dh0 = wb::matmul(dpre1, weight_hh),
    };
}

}  // namespace lesson13
