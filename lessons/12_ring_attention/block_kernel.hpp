#pragma once
// The computation a rank does on one block of keys and values, two ways.
#include "lib/flash_attention.hpp"
#include "lib/tensor.hpp"

namespace ring {

// q (n, d) against one block k (S, d), v (S, d_v) as lesson 11's partial result
// (max, sum, out). `diagonal`: the block holds the same tokens as the queries
// (n == S), so key j is hidden from query i when j > i, the causal mask.
using BlockKernel = wb::PartialAttention (*)(const wb::Tensor& q, const wb::Tensor& k, const wb::Tensor& v,
                                             bool diagonal);

// lib's attend_block (lesson 11), with the diagonal block's mask: the walkthrough's.
wb::PartialAttention attend_block_lib(const wb::Tensor& q, const wb::Tensor& k, const wb::Tensor& v, bool diagonal);

// The same partial result with both products in OpenBLAS (q @ k.T, then the
// weights @ v), 512 keys at a time merged by the online softmax, so at most
// n x 512 scores exist. lib's attend_block loops over every score and value
// channel to be read easily and is about 80 times slower on a 2,048-token block;
// --scaling times this one. Agrees with attend_block within 1e-5 (tested).
wb::PartialAttention attend_block_blas(const wb::Tensor& q, const wb::Tensor& k, const wb::Tensor& v, bool diagonal);

}  // namespace ring
