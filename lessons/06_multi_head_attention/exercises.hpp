#pragma once
// Lesson 06's exercises: the contract. Write the bodies in exercises.cpp, then
// check them with `./workbook check 06`. Each function is one step of the
// walkthrough, so `./workbook run 06` shows the numbers yours should produce.
#include <cstdint>

#include "lib/multi_head_attention.hpp"
#include "lib/random.hpp"
#include "lib/tensor.hpp"

namespace lesson06 {

using wb::Tensor;

// Exercise 6.1: split the last dimension into heads (book 3.6.2).
//   x: (B, T, d_out) with d_out = num_heads * head_dim
//   returns (B, num_heads, T, head_dim): out[b][h][t][i] = x[b][t][h * head_dim + i],
//   what x.view(B, T, num_heads, head_dim).transpose(1, 2) gives in torch.
Tensor split_heads(const Tensor& x, std::size_t num_heads);

// Exercise 6.2: merge the heads back, the inverse of 6.1.
//   x: (B, H, T, head_dim) -> (B, T, H * head_dim)
Tensor merge_heads(const Tensor& x);

// Exercise 6.3 (the book's exercise 3.2): build a MultiHeadAttentionWrapper with
// 2 heads over the book's inputs (d_in 3, context_length 6, dropout 0.0) whose
// output context vectors are 2-dimensional instead of 4-dimensional. Draw its
// weights from g.
wb::MultiHeadAttentionWrapper two_dimensional_wrapper(wb::Generator& g);

// Exercise 6.4 (the book's exercise 3.3): initialise a GPT-2-sized MultiHeadAttention
// (d_in = d_out = 768, 12 heads, context length 1024, dropout 0.0, no qkv bias) and
// return how many parameters it has.
std::uint64_t gpt2_attention_parameters();

}  // namespace lesson06
