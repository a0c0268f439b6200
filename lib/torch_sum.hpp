#pragma once
// lib-internal: float sums added up in the order torch's CPU kernel adds them.
//
// Float addition is not associative, so "the sum" depends on the order. torch
// (aten/src/ATen/native/cpu/SumKernel.cpp) sums in a cascade: four interleaved
// accumulators, chunks of at least 16 folded level by level, 8-lane vectors when
// a row is contiguous and at least 8 long. The book prints `Sum: tensor(1.)`
// where a left-to-right loop prints `tensor(1.0000)`: matching torch's order
// is what makes the printed digits equal.
#include <cstddef>

namespace wb::detail {

// Sum of n floats at x[0], x[stride], x[2*stride], ... as torch's `t.sum()` of a
// contiguous tensor (stride 1) or of one row reduced along its last dimension.
float torch_inner_sum(const float* x, std::size_t n, std::size_t stride = 1);

// Sums along the middle dimension of a contiguous (outer, reduced, inner) block,
// as torch's `t.sum(dim)` does when dim is not the last one (inner > 1).
// out has outer * inner elements.
void torch_outer_sum(const float* x, std::size_t outer, std::size_t reduced, std::size_t inner, float* out);

}  // namespace wb::detail
