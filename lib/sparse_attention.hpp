#pragma once
// Sparse attention patterns (lesson 08): which keys j each query i may see, and
// attention that computes only those pairs. Every pattern is causal (j <= i):
//
//   causal              every earlier key
//   sliding window w    i - j < w: the query and the w - 1 before it (Longformer, Mistral)
//   strided l           i - j < l, or i - j a multiple of l: Child et al. 2019's two
//                       heads, "the previous l" and "every l-th", as one pattern
//   fixed l, c          j in i's block of l (j / l == i / l), or j among the last c
//                       "summary" positions of its block (j % l >= l - c)
//
// With l near sqrt(T), strided and fixed attend about T * sqrt(T) pairs instead of
// causal's T^2 / 2; a window of fixed width attends about T * w.
#include <cstdint>
#include <string>
#include <vector>

#include "lib/tensor.hpp"

namespace wb {

enum class Pattern { causal, sliding_window, strided, fixed };

struct SparsePattern {
    Pattern kind = Pattern::causal;
    std::size_t window = 0;   // sliding_window: w
    std::size_t stride = 0;   // strided and fixed: l
    std::size_t summary = 0;  // fixed: c
};

SparsePattern causal_pattern();
// ValueError unless window >= 1
SparsePattern sliding_window_pattern(std::size_t window);
// ValueError unless stride >= 1
SparsePattern strided_pattern(std::size_t stride);
// ValueError unless stride >= 1 and 1 <= summary <= stride
SparsePattern fixed_pattern(std::size_t stride, std::size_t summary);

// "causal", "sliding window (w = 4)", "strided (l = 4)", "fixed (l = 4, c = 1)"
std::string to_string(const SparsePattern& p);

// May query i see key j?
bool attends(const SparsePattern& p, std::size_t i, std::size_t j);

// The keys query i sees, as sorted runs [begin, end) with gaps between them. A
// pattern is a few runs per query: one for causal and windows, the local run plus
// one per stride for strided, the own block plus one per earlier block for fixed.
struct KeyRun {
    std::size_t begin, end;
};
void key_runs(const SparsePattern& p, std::size_t i, std::vector<KeyRun>& runs);

// (T, T): 1 where query i may not see key j, 0 where it may (causal_mask's convention)
Tensor pattern_mask(const SparsePattern& p, std::size_t T);
// The number of (i, j) pairs, i, j < T, the pattern attends (from the runs, not a T^2 scan)
std::uint64_t attended_pairs(const SparsePattern& p, std::size_t T);

// Self-attention under the pattern, computing only the pairs it attends:
//   q, k (..., T, d), v (..., T, d_v) -> (..., T, d_v)
// equal, up to float rounding, to scaled_dot_product_attention(q, k, v, pattern_mask(p, T)).
Tensor sparse_attention(const Tensor& q, const Tensor& k, const Tensor& v, const SparsePattern& p);

}  // namespace wb
