#pragma once
// Lesson 13's exercises: the contract. Write the bodies in exercises.cpp, then
// check them with `./workbook check 13`. Each is one piece of the models the
// walkthrough trains (lib/rnn.hpp and lib/additive_attention.hpp hold the batched
// versions, forward and backward).
#include "lib/tensor.hpp"

namespace lesson13 {

using wb::Tensor;

// Exercise 13.1: one step of a tanh RNN cell, as torch's nn.RNNCell computes it.
//   x (B, I), h_prev (B, H), weight_ih (H, I), weight_hh (H, H), bias_ih (H), bias_hh (H)
//   returns h (B, H) = tanh(x @ weight_ih.T + bias_ih + h_prev @ weight_hh.T + bias_hh)
//   e.g. x = [[1, 2]], h_prev = [[0.5]], weight_ih = [[0.1, 0.2]], weight_hh = [[1]],
//   biases [0] and [0]: tanh(0.1 + 0.4 + 0.5) = tanh(1) = [[0.7616]]
Tensor rnn_cell_step(const Tensor& x, const Tensor& h_prev, const Tensor& weight_ih, const Tensor& weight_hh,
                     const Tensor& bias_ih, const Tensor& bias_hh);

// Exercise 13.2: Bahdanau's additive attention scores for one decoder step.
//   s (D): the decoder's previous state; h (T, C): the encoder's states, one per input position;
//   W1 (A, D), W2 (A, C), v (A)
//   returns e (T): e_i = v . tanh(W1 s + W2 h_i)
//   e.g. D = C = A = 1, s = [1], h = [[0], [2]], W1 = [[1]], W2 = [[1]], v = [2]:
//   e = [2 tanh(1), 2 tanh(3)] = [1.5232, 1.9901]
Tensor additive_scores(const Tensor& s, const Tensor& h, const Tensor& W1, const Tensor& W2, const Tensor& v);

// Exercise 13.3: the context vector of one decoder step.
//   weights (T): the attention weights (softmax of the scores; they sum to 1); h (T, C)
//   returns c (C) = sum_i weights_i h_i
//   e.g. weights = [0.25, 0.75], h = [[1, 0], [3, 4]]: c = [2.5, 3]
Tensor context_vector(const Tensor& weights, const Tensor& h);

// Exercise 13.4: backpropagation through two time steps of the RNN cell.
//   h1 = cell(x1, h0), h2 = cell(x2, h1) with 13.1's cell (the same weights at both steps);
//   x1, x2 (B, I), h0 (B, H), dh2 (B, H): the gradient of a loss L with respect to h2.
//   returns the gradients of L with respect to weight_ih (H, I), weight_hh (H, H), the
//   bias (H) (bias_ih's and bias_hh's are equal: both are added to the same sum) and h0 (B, H).
struct TwoStepGradients {
    Tensor dweight_ih, dweight_hh, dbias, dh0;
};
TwoStepGradients bptt_two_steps(const Tensor& x1, const Tensor& x2, const Tensor& h0, const Tensor& weight_ih,
                                const Tensor& weight_hh, const Tensor& bias_ih, const Tensor& bias_hh,
                                const Tensor& dh2);

}  // namespace lesson13
