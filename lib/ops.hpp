#pragma once
// Tensor operations with PyTorch's names and semantics. Every operation checks its
// shapes first and throws ShapeError naming the operation and both shapes, e.g.
// "matmul: mat1 and mat2 shapes cannot be multiplied (6x3 and 2x2)".
#include <vector>

#include "lib/tensor.hpp"

namespace wb {

// --- products ---------------------------------------------------------------
// torch.dot(a, b): two 1-D tensors of equal length -> 0-d tensor.
Tensor dot(const Tensor& a, const Tensor& b);
// a @ b, as torch.matmul: 1-D·1-D -> 0-d; 2-D @ 1-D -> 1-D; 1-D @ 2-D -> 1-D;
// (..., n, k) @ (..., k, m) -> (..., n, m) with the leading batch dimensions broadcast.
Tensor matmul(const Tensor& a, const Tensor& b);

// --- reshaping ------------------------------------------------------------
// t.transpose(dim0, dim1); negative dims count from the end.
Tensor transpose(const Tensor& t, int dim0, int dim1);
// torch.stack(tensors): tensors of one shape, side by side along a new first dimension.
Tensor stack(const std::vector<Tensor>& tensors);
// torch.cat(tensors, dim): tensors whose shapes agree except along dim, joined along it.
Tensor cat(const std::vector<Tensor>& tensors, int dim);
// t.T for a matrix (and a 1-D tensor, which it leaves unchanged).
Tensor T(const Tensor& t);

// --- reductions -------------------------------------------------------------
// t.sum(): all elements -> 0-d tensor.
Tensor sum(const Tensor& t);
// t.sum(dim=dim, keepdim=keepdim)
Tensor sum(const Tensor& t, int dim, bool keepdim = false);
// t.max(dim=dim, keepdim=keepdim).values
Tensor amax(const Tensor& t, int dim, bool keepdim = false);

// --- elementwise --------------------------------------------------------------
// a + b, a - b, a * b, a / b with torch's broadcasting rules.
Tensor operator+(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a, const Tensor& b);
Tensor operator*(const Tensor& a, const Tensor& b);
Tensor operator/(const Tensor& a, const Tensor& b);
Tensor operator+(const Tensor& a, float b);
Tensor operator-(const Tensor& a, float b);
Tensor operator*(const Tensor& a, float b);
Tensor operator/(const Tensor& a, float b);
Tensor operator*(float a, const Tensor& b);
Tensor& operator+=(Tensor& a, const Tensor& b);  // in place; b broadcasts to a's shape
Tensor exp(const Tensor& t);
Tensor log(const Tensor& t);

// --- attention building blocks ---------------------------------------------------
// torch.softmax(t, dim): exp(x - max) / sum(exp(x - max)) along dim, which cannot
// overflow because the largest exponent is exp(0) = 1.
Tensor softmax(const Tensor& t, int dim);
// The textbook formula exp(x) / sum(exp(x)) along dim: correct on paper, but exp
// overflows to inf for scores above ~88 and the result becomes nan. For teaching.
Tensor softmax_naive(const Tensor& t, int dim);
// t.masked_fill(mask, value): where mask is nonzero, the value; mask broadcasts to t.
Tensor masked_fill(const Tensor& t, const Tensor& mask, float value);
// torch.triu(t, diagonal) / torch.tril(t, diagonal) of a matrix (or a batch of them).
Tensor triu(const Tensor& t, int diagonal = 0);
Tensor tril(const Tensor& t, int diagonal = 0);

}  // namespace wb
