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

// --- LayerNorm (nn.LayerNorm(C)): each row to mean 0 and variance 1, then scaled and shifted --
// inp (..., C), weight (C), bias (C) -> out (..., C): every row x of C channels becomes
//   out = (x - mean) * rstd * weight + bias,   rstd = 1 / sqrt(var + eps),
// with the biased variance (the mean of (x - mean)^2, divided by C, not C - 1), as torch.
// mean and rstd (..., one value per row) are filled for the backward; buffers of the
// right shape are reused, so a training step does not allocate them again.
Tensor layer_norm_forward(const Tensor& inp, const Tensor& weight, const Tensor& bias, Tensor& mean, Tensor& rstd,
                          float eps = 1e-5f);
// dout (..., C) -> dinp (..., C); adds the sum over rows of dout * (x - mean) * rstd to
// dweight (C) and of dout to dbias (C). mean and rstd are what the forward filled.
Tensor layer_norm_backward(const Tensor& dout, const Tensor& inp, const Tensor& weight, const Tensor& mean,
                           const Tensor& rstd, Tensor& dweight, Tensor& dbias);

// --- cross-entropy (F.cross_entropy): the mean of -log softmax(logits)[target] --------------
// logits (B, V), targets (B) -> the loss; probs (B, V) is filled for the backward
float cross_entropy_forward(const Tensor& logits, const std::vector<std::size_t>& targets, Tensor& probs);
// dlogits (B, V) = (probs - one_hot(targets)) / B
Tensor cross_entropy_backward(const Tensor& probs, const std::vector<std::size_t>& targets);

}  // namespace wb
