// Lesson 02 exercises: your answers go here.
//
// Each function below throws "not implemented yet" until you replace the throw
// with your code. `./workbook check 02` runs the tests (TODO / PASS / FAIL);
// `./workbook hint 02 2.1` gives a hint. The contract is in exercises.hpp.
//
// Useful: wb::zeros({27, 27}), W(i, j), W.row(i), wb::matmul, wb::tanh_forward,
// std::exp, std::log, std::max.
#include "exercises.hpp"

#include <cmath>

#include "lib/errors.hpp"
#include "lib/layers.hpp"
#include "lib/ops.hpp"

namespace lesson02 {

float bigram_loss_and_grad(const Tensor& W, const std::vector<std::size_t>& xs, const std::vector<std::size_t>& ys,
                           Tensor& dW) {
    // TODO exercise 2.1: for each example, softmax of row xs[i]; add -log p[ys[i]] to the loss
    // and (p - one_hot(ys[i])) / n to row xs[i] of dW; then the 0.01 * mean(W**2) term.
    throw wb::NotImplemented("2.1", "lessons/02_neural_ngram/exercises.cpp");
}

Tensor mlp_logits(const wb::MLPWeights& w, const std::vector<std::size_t>& X) {
    // TODO exercise 2.2: look up the embeddings, lay each context's side by side,
    // then the hidden layer and the output layer.
    throw wb::NotImplemented("2.2", "lessons/02_neural_ngram/exercises.cpp");
}

float cross_entropy(const Tensor& logits, const std::vector<std::size_t>& Y) {
    // TODO exercise 2.3: per row, log(sum(exp(logits - max))) + max - logits[Y[b]]; average them.
    throw wb::NotImplemented("2.3", "lessons/02_neural_ngram/exercises.cpp");
}

}  // namespace lesson02
