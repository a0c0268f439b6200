#pragma once
// Lesson 11's exercises: the contract. Write the bodies in exercises.cpp, then
// check them with `./workbook check 11`. Each is one idea of the walkthrough, so
// `./workbook run 11` shows numbers of the kind yours should produce.
#include "lib/flash_attention.hpp"
#include "lib/tensor.hpp"

namespace lesson11 {

using wb::PartialAttention;
using wb::Tensor;

// Exercise 11.1: merge two partial softmax results (the online softmax's rescale).
//   a, b: partial results of the same T queries over two disjoint sets of keys, each
//   max (T), sum (T), out (T, d_v) as lib/flash_attention.hpp defines them: m the
//   largest scaled score seen, l the sum of exp(score - m), out the values averaged
//   with the weights exp(score - m) / l. A row that has seen no key has m = -inf,
//   l = 0 and out 0.
//   returns the partial result over both sets of keys:
//     m = max(m_a, m_b);  w_a = l_a exp(m_a - m);  w_b = l_b exp(m_b - m)
//     l = w_a + w_b;      out = (w_a out_a + w_b out_b) / l
//   e.g. one row, m_a = 0, l_a = 1, out_a = [2]; m_b = ln 3, l_b = 1, out_b = [6]:
//     m = ln 3, w_a = 1/3, w_b = 1, l = 4/3, out = (2/3 + 6) / (4/3) = [5].
//   Both sides empty: the row stays empty (m = -inf, l = 0, out 0), never NaN.
PartialAttention merge_partials(const PartialAttention& a, const PartialAttention& b);

// Exercise 11.2: RoPE on one vector at one position, as Hugging Face's Llama does it.
//   x: (d), d even;  position: m
//   theta_i = 1 / 10000^(2i / d) for i < d/2, computed in float: 1.0f / std::pow(10000.0f, 2i / float(d))
//   angle = float(m) * theta_i (in float); pair i is (x[i], x[i + d/2]):
//     out[i]       = x[i] cos(angle) - x[i + d/2] sin(angle)
//     out[i + d/2] = x[i + d/2] cos(angle) + x[i] sin(angle)
//   e.g. rope([1, 0], 1) = [cos 1, sin 1] = [0.5403, 0.8415]; position 0 changes nothing.
Tensor rope(const Tensor& x, std::size_t position);

// Exercise 11.3: attention for one new token with a KV cache.
//   q, k, v: (d) the new token's query, key and value
//   k_cache, v_cache: (t, d) the keys and values of the t tokens before it
//   (t may be 0: shape (0, d))
//   Appends k and v as a new last row of each cache (they become (t + 1, d)) and
//   returns (d): softmax(k_cache @ q / sqrt(d)) @ v_cache over all t + 1 rows.
//   No mask is needed: the cache holds only the past and the token itself.
//   Fed a sequence one token at a time, the outputs are the rows of its causal
//   attention (lesson 05's exercise 5.3, without the projections).
Tensor attend_with_cache(const Tensor& q, const Tensor& k, const Tensor& v, Tensor& k_cache, Tensor& v_cache);

}  // namespace lesson11
