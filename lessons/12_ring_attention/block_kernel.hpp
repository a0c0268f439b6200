#pragma once
// The computation a rank does on the block of keys and values it holds.
#include "lib/flash_attention.hpp"
#include "lib/tensor.hpp"

namespace ring {

// q (n, d) against one block k (S, d), v (S, d_v) as lesson 11's partial result
// (max, sum, out): lib's attend_block. `diagonal`: the block holds the same tokens
// as the queries (n == S), so key j is hidden from query i when j > i, the causal mask.
wb::PartialAttention attend_held_block(const wb::Tensor& q, const wb::Tensor& k, const wb::Tensor& v, bool diagonal);

}  // namespace ring
