// Lesson 13 exercises: your answers go here.
//
// Each function below throws "not implemented yet" until you replace the throw
// with your code. `./workbook check 13` runs the tests (TODO / PASS / FAIL);
// `./workbook hint 13 13.1` gives a hint. The contract is in exercises.hpp.
#include "exercises.hpp"

#include "lib/errors.hpp"
#include "lib/layers.hpp"
#include "lib/ops.hpp"

namespace lesson13 {

Tensor rnn_cell_step(const Tensor& x, const Tensor& h_prev, const Tensor& weight_ih, const Tensor& weight_hh,
                     const Tensor& bias_ih, const Tensor& bias_hh) {
    // TODO exercise 13.1: h = tanh(x @ weight_ih.T + bias_ih + h_prev @ weight_hh.T + bias_hh).
    throw wb::NotImplemented("13.1", "lessons/13_bahdanau_attention/exercises.cpp");
}

Tensor additive_scores(const Tensor& s, const Tensor& h, const Tensor& W1, const Tensor& W2, const Tensor& v) {
    // TODO exercise 13.2: e_i = v . tanh(W1 s + W2 h_i) for every row h_i of h.
    throw wb::NotImplemented("13.2", "lessons/13_bahdanau_attention/exercises.cpp");
}

Tensor context_vector(const Tensor& weights, const Tensor& h) {
    // TODO exercise 13.3: c = sum_i weights_i h_i.
    throw wb::NotImplemented("13.3", "lessons/13_bahdanau_attention/exercises.cpp");
}

TwoStepGradients bptt_two_steps(const Tensor& x1, const Tensor& x2, const Tensor& h0, const Tensor& weight_ih,
                                const Tensor& weight_hh, const Tensor& bias_ih, const Tensor& bias_hh,
                                const Tensor& dh2) {
    // TODO exercise 13.4: run both steps forward, keeping h1 and h2, then go back from dh2:
    // through step 2 to dh1, through step 1 to dh0, adding each step's weight gradients.
    throw wb::NotImplemented("13.4", "lessons/13_bahdanau_attention/exercises.cpp");
}

}  // namespace lesson13
