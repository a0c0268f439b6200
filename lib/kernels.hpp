#pragma once
// The loops under the layers, on raw row-major arrays, for code that reuses its
// buffers from step to step (lib/mlp.cpp's training step must not allocate). The
// checked, Tensor-returning versions in layers.hpp call these; lessons use those.
#include <cstddef>
#include <span>
#include <vector>

namespace wb::detail {

// out (n, m) = op(a) (n, k) @ op(b) (k, m) + beta * out, through BLAS sgemm;
// op(a) is a.T when a_t (a stored (k, n)), op(b) is b.T when b_t (b stored (m, k)).
void gemm(bool a_t, bool b_t, std::size_t n, std::size_t m, std::size_t k, const float* a, const float* b, float* out,
          float beta);
// The same on parts of bigger matrices: lda, ldb and ldout are the row lengths of
// the arrays a, b and out are stored in.
void gemm(bool a_t, bool b_t, std::size_t n, std::size_t m, std::size_t k, const float* a, std::size_t lda,
          const float* b, std::size_t ldb, float* out, std::size_t ldout, float beta);

// out (rows, cols) += bias (cols) on every row
void add_bias(float* out, const float* bias, std::size_t rows, std::size_t cols);
// dbias (cols) += the column sums of dout (rows, cols), whose rows are `stride` apart
void add_column_sums(float* dbias, const float* dout, std::size_t rows, std::size_t cols, std::size_t stride);
inline void add_column_sums(float* dbias, const float* dout, std::size_t rows, std::size_t cols) {
    add_column_sums(dbias, dout, rows, cols, cols);
}

// --- a linear layer on raw rows, split over the cores (lib/parallel.hpp) ---------------------
// The rows are split in chunks of this many (a GPT step has 32 x 16 = 512 rows: 8
// chunks), the weight gradient in chunks of this many output features. Fixed sizes,
// so the numbers do not depend on the core count. sgemm runs at about 105 GFLOP/s on
// one core of the course's machine for 64 rows as for 512 ((64, 64) @ (64, 256): 40 us).
constexpr std::size_t kRowsPerChunk = 64;
constexpr std::size_t kFeaturesPerChunk = 16;

// out (rows, n_out) = inp (rows, n_in) @ weight.T (n_in, n_out) + bias (n_out; null: none)
void linear_forward(float* out, const float* inp, const float* weight, const float* bias, std::size_t rows,
                    std::size_t n_in, std::size_t n_out);
// Its backward, from dout (rows, n_out):
//   dinp (rows, n_in) = dout @ weight, or += when accumulate (null: not wanted)
//   dweight (n_out, n_in) += dout.T @ inp
//   dbias (n_out) += the column sums of dout, in torch's order (null: no bias)
void linear_backward(float* dinp, bool accumulate, float* dweight, float* dbias, const float* dout, const float* inp,
                     const float* weight, std::size_t rows, std::size_t n_in, std::size_t n_out);
// One chunk of linear_backward's weight part, output features [o0, o1): rows
// [o0, o1) of dweight += columns [o0, o1) of dout, transposed, @ inp, and the same
// entries of dbias (null: no bias). Chunks of features do not share an output.
// dout's rows are ld_dout floats apart (n_out when it is a matrix of its own).
void linear_weight_gradients(float* dweight, float* dbias, const float* dout, std::size_t ld_dout, const float* inp,
                             std::size_t rows, std::size_t n_in, std::size_t n_out, std::size_t o0, std::size_t o1);
// dbias[c] += the sum of column c of x (rows, cols; rows `stride` apart) for c in
// [c0, c1), each column added in the order torch's x.sum(0) adds it (lib/torch_sum.hpp),
// so a bias gradient has the same bits as sum(dout, 0) had.
void add_torch_column_sums(float* dbias, const float* x, std::size_t rows, std::size_t cols, std::size_t stride,
                           std::size_t c0, std::size_t c1);

// Throws IndexError naming `op`, the index and its position unless every ix[n] < limit.
// The loops below do not check; callers check once with this.
void check_indices(const std::vector<std::size_t>& ix, std::size_t limit, const char* op);

// out (N, C): row n is row ix[n] of table (V, C).
void embedding_forward(float* out, const float* table, std::span<const std::size_t> ix, std::size_t C);
// dtable (V, C) += row n of dout (N, C) at row ix[n]
void embedding_backward(float* dtable, const float* dout, std::span<const std::size_t> ix, std::size_t C);

// GELU, tanh approximation: out (n) = 0.5 x (1 + t), with t = tanh(sqrt(2/pi) (x +
// 0.044715 x^3)) kept in `t` (n) for the backward, which needs it too.
void gelu_forward(float* out, float* t, const float* x, std::size_t n);
// dinp (n) = dout * gelu'(x), from the forward's x and t; dinp may be dout itself.
void gelu_backward(float* dinp, const float* dout, const float* x, const float* t, std::size_t n);

// dinp (n) = dout * (1 - out^2): tanh's derivative from its output
void tanh_backward(float* dinp, const float* dout, const float* out, std::size_t n);

// probs (B, V) = softmax of each row of logits; returns the mean over rows of
// -log probs[b, targets[b]], computed as logsumexp - logit so it stays finite.
float cross_entropy_forward(float* probs, const float* logits, const std::vector<std::size_t>& targets,
                            std::size_t V);
// dlogits (B, V) = (probs - one_hot(targets)) / B
void cross_entropy_backward(float* dlogits, const float* probs, const std::vector<std::size_t>& targets, std::size_t V);

}  // namespace wb::detail
