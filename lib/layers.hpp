#pragma once
// The layers of the neural lessons, one function pair per layer with the forward
// next to its backward, as llm.c writes them. Shapes: B is the batch (rows), V
// the vocabulary, C the channels. A backward adds into the gradients it is given
// (as torch's .grad accumulates), so zero them before each step.
#include <cstddef>
#include <vector>

#include "lib/tensor.hpp"

namespace wb {

// --- linear: out = inp @ weight.T + bias ----------------------------------------
// inp (..., in), weight (out, in), bias (out) or empty -> out (..., out); any leading
// dimensions (batch, tokens) are rows alike
Tensor linear_forward(const Tensor& inp, const Tensor& weight, const Tensor& bias);
// dout (..., out) -> dinp (..., in); adds dout.T @ inp to dweight (out, in) and the
// column sums of dout to dbias (out), unless dbias is null (no bias).
Tensor linear_backward(const Tensor& dout, const Tensor& inp, const Tensor& weight, Tensor& dweight, Tensor* dbias);

// --- embedding: row n of out is row ix[n] of the table ----------------------------
// table (V, C), ix (N) -> out (N, C)
Tensor embedding_forward(const Tensor& table, const std::vector<std::size_t>& ix);
// dout (N, C): each row goes back to the table row it came from (rows used twice get both)
void embedding_backward(const Tensor& dout, const std::vector<std::size_t>& ix, Tensor& dtable);

// --- tanh -----------------------------------------------------------------------------
Tensor tanh_forward(const Tensor& inp);
// tanh'(x) = 1 - tanh(x)^2, computed from the forward's output `out`
Tensor tanh_backward(const Tensor& dout, const Tensor& out);

// --- GELU, tanh approximation (the book's GELU; nn.GELU(approximate="tanh")) --------------
// gelu(x) = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), elementwise
Tensor gelu_forward(const Tensor& inp);
// the derivative needs the input, not the output (gelu is not monotonic below about -0.75)
Tensor gelu_backward(const Tensor& dout, const Tensor& inp);

// --- layer norm (nn.LayerNorm over the last dimension, eps 1e-5) -------------------------
// Each row (token) of inp (..., C) is shifted to mean 0 and scaled to variance 1 (the
// biased variance, dividing by C), then scaled by weight (C) and shifted by bias (C).
// mean and rstd (one per row, 1/sqrt(var + eps)) are filled for the backward.
Tensor layer_norm_forward(const Tensor& inp, const Tensor& weight, const Tensor& bias, Tensor& mean, Tensor& rstd,
                          float eps = 1e-5f);
// dout (..., C) -> dinp; adds into dweight and dbias (C)
Tensor layer_norm_backward(const Tensor& dout, const Tensor& inp, const Tensor& weight, const Tensor& mean,
                           const Tensor& rstd, Tensor& dweight, Tensor& dbias);

// --- cross-entropy (F.cross_entropy): the mean of -log softmax(logits)[target] --------------
// logits (B, V), targets (B) -> the loss; probs (B, V) is filled for the backward
float cross_entropy_forward(const Tensor& logits, const std::vector<std::size_t>& targets, Tensor& probs);
// dlogits (B, V) = (probs - one_hot(targets)) / B
Tensor cross_entropy_backward(const Tensor& probs, const std::vector<std::size_t>& targets);

}  // namespace wb
