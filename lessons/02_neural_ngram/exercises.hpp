#pragma once
// Lesson 02's exercises: the contract. Write the bodies in exercises.cpp, then
// check them with `./workbook check 02`.
#include <cstddef>
#include <vector>

#include "lib/mlp.hpp"
#include "lib/tensor.hpp"

namespace lesson02 {

using wb::Tensor;

// Exercise 2.1: one step of the neural bigram, its gradient by hand.
//   W:  (27, 27) weights; the logits of example i are row xs[i] of W
//       (one_hot(xs[i]) @ W picks exactly that row)
//   xs, ys: n examples, character xs[i] followed by ys[i]
//   returns the walkthrough's loss
//       -(1/n) sum_i log softmax(W[xs[i]])[ys[i]]  +  0.01 * mean(W**2)
//   and sets dW (27, 27) to its gradient with respect to W:
//       row xs[i] of dW gets (softmax(W[xs[i]]) - one_hot(ys[i])) / n for each i,
//       and every element gets 0.02 * W / 729 from the second term.
float bigram_loss_and_grad(const Tensor& W, const std::vector<std::size_t>& xs, const std::vector<std::size_t>& ys,
                           Tensor& dW);

// Exercise 2.2: the MLP's forward pass for one batch.
//   w:  C (27, 10), W1 (30, 200), b1 (200), W2 (200, 27), b2 (27)
//       (sizes as in the lesson; read them from the tensors, not from here)
//   X:  B contexts of T = W1.size(0) / C.size(1) character indices, row after row
//   returns logits (B, 27) = tanh(emb @ W1 + b1) @ W2 + b2, where row b of emb
//   (B, T * 10) is the T embeddings C[X[b, t]] laid side by side.
Tensor mlp_logits(const wb::MLPWeights& w, const std::vector<std::size_t>& X);

// Exercise 2.3: cross-entropy, as F.cross_entropy computes it.
//   logits: (B, V); Y: B targets in [0, V)
//   returns -(1/B) sum_b log softmax(logits[b])[Y[b]], computed so that huge
//   logits (1000 and more) give a finite answer.
float cross_entropy(const Tensor& logits, const std::vector<std::size_t>& Y);

}  // namespace lesson02
