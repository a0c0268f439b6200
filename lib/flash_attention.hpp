#pragma once
// Attention without the T x T matrix: the online softmax of FlashAttention (Dao et
// al. 2022, algorithm 1; the bookkeeping of FlashAttention-2), for lesson 11, and
// the merge that ring attention (lesson 12) uses to combine what each machine
// computed on its share of the keys.
//
// softmax(s) @ v needs every score of a row before the first weight is known (the
// max, and the sum in the denominator). The online softmax keeps, per query row, the
// largest score seen so far m, the sum l of exp(score - m), and the weighted average
// of the values seen so far; a new block of keys can raise m, and then everything
// kept so far is rescaled by exp(m_old - m_new). Two such partial results over
// disjoint keys merge the same way, in any order, into the exact softmax.
//
//   PartialAttention a = attend_block(q, k_first_half, v_first_half);
//   PartialAttention b = attend_block(q, k_second_half, v_second_half);
//   Tensor context = merge(a, b).out;      // softmax(q @ k.T / sqrt(d)) @ v
//
// Masked rows: a row whose every key is hidden (by the causal mask or the padding)
// gets a context of zeros, as lib/attention.hpp's masked_softmax gives weights of
// zeros (torch gives NaN, 0/0, which then spreads into everything after it).
#include <cstddef>

#include "lib/tensor.hpp"

namespace wb {

// A softmax-weighted average over some of the keys, per query row, kept so that
// more keys can be added later. T query rows, values of width d_v:
//   max (T)       m: the largest scaled score among the keys seen, -inf for none yet
//   sum (T)       l: the sum of exp(score - m) over those keys, 0 for none
//   out (T, d_v)  their values averaged with the weights exp(score - m) / l
//                 (0 for a row that has seen no key): the attention output as if
//                 these keys were all there is
struct PartialAttention {
    Tensor max, sum, out;
};

// No keys seen yet: max -inf, sum 0, out 0.
PartialAttention empty_partial(std::size_t rows, std::size_t d_v);

// The partial result of the queries q (T, d) over one block of keys k (S, d) with
// values v (S, d_v): scores q @ k.T / sqrt(d), hidden where mask (T, S) is nonzero
// (an empty Tensor() for no mask). ShapeError naming the shapes when they disagree.
PartialAttention attend_block(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask = Tensor());

// Two partial results of the same queries over disjoint sets of keys, combined:
//   m = max(m_a, m_b);  w_a = l_a exp(m_a - m);  w_b = l_b exp(m_b - m)
//   l = w_a + w_b;      out = (w_a out_a + w_b out_b) / l
// A side that has seen no key (l = 0) adds nothing. ShapeError if the shapes differ.
PartialAttention merge(const PartialAttention& a, const PartialAttention& b);

// flash_attention's options. causal: query i sees keys 0..i (torch's is_causal,
// the top-left corner of the T x S grid). key_padding (S): nonzero hides that key
// from every query (a padded position). block_q x block_k: the tile of scores that
// exists at any one time (per thread); the result does not depend on the number of
// threads, only on the blocks (fixed sizes, as lib/parallel.hpp explains).
struct FlashOptions {
    bool causal = true;
    Tensor key_padding{};
    std::size_t block_q = 128, block_k = 128;
};

// softmax(q @ k.T / sqrt(d), masked) @ v, tile by tile: q (T, d), k (S, d), v (S, d_v)
// -> (T, d_v). Memory beyond the inputs and the output: one block_q x block_k tile
// of scores and one block_q x d_v accumulator per thread, whatever T is. With
// causal, the tiles above the diagonal are skipped (half the work).
// ShapeError naming the shapes; ValueError for a block size of 0.
Tensor flash_attention(const Tensor& q, const Tensor& k, const Tensor& v, const FlashOptions& options = {});

namespace detail {
// The kernel under flash_attention, on raw row-major arrays (the benchmark calls it
// with its own buffers): out (T, dv); key_padding (S) or null.
void flash_attention(float* out, const float* q, const float* k, const float* v, std::size_t T, std::size_t S,
                     std::size_t d, std::size_t dv, bool causal, const unsigned char* key_padding,
                     std::size_t block_q, std::size_t block_k);
}  // namespace detail

}  // namespace wb
