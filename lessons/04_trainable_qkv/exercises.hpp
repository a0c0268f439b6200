#pragma once
// Lesson 04's exercises: the contract. Write the bodies in exercises.cpp, then
// check them with `./workbook check 04`. Each function is one step of the
// walkthrough, so `./workbook run 04` shows the numbers yours should produce.
#include "lib/self_attention.hpp"
#include "lib/tensor.hpp"

namespace lesson04 {

using wb::Tensor;

struct QKV {
    Tensor queries, keys, values;
};

// Exercise 4.1: project every token to a query, a key and a value (book 3.4.1).
//   inputs:                    (T, d_in), one token embedding per row
//   W_query, W_key, W_value:   (d_in, d_out)
//   returns queries = inputs @ W_query, keys = inputs @ W_key, values = inputs @ W_value,
//   each (T, d_out).
QKV project_qkv(const Tensor& inputs, const Tensor& W_query, const Tensor& W_key, const Tensor& W_value);

// Exercise 4.2: the scaled attention scores of every query against every key.
//   queries: (T, d_k), keys: (T, d_k)
//   returns (T, T): scores[i][j] = queries[i] . keys[j] / sqrt(d_k), where d_k is
//   the width of the keys (keys.size(1)).
Tensor scaled_attention_scores(const Tensor& queries, const Tensor& keys);

// Exercise 4.3 (the book's exercise 3.1): a SelfAttention_v1 that computes exactly
// what the given SelfAttention_v2 computes, by copying v2's weights into it.
//   v2.W_query.weight (and W_key, W_value) is nn.Linear's weight, (d_out, d_in);
//   SelfAttention_v1 multiplies x @ W with W of shape (d_in, d_out).
wb::SelfAttention_v1 v1_with_v2_weights(const wb::SelfAttention_v2& v2);

}  // namespace lesson04
