#pragma once
// Lesson 03's exercises: the contract. Write the bodies in exercises.cpp, then
// check them with `./workbook check 03`. Each function is one step of the
// walkthrough, so `./workbook run 03` shows the numbers yours should produce.
#include <cstddef>

#include "lib/tensor.hpp"

namespace lesson03 {

using wb::Tensor;

// Exercise 3.1: attention scores for one query (book section 3.3.1, attn_scores_2).
//   inputs: (T, d), one token embedding per row
//   query:  which row is the query, counted from 0 (the book's x(2) "journey" is row 1)
//   returns (T): score[i] = inputs[i] · inputs[query], the dot product of every
//   input with the query. Write the dot products as loops, not with wb::matmul.
Tensor attention_scores(const Tensor& inputs, std::size_t query);

// Exercise 3.2: softmax of every row (torch.softmax(scores, dim=-1)).
//   scores:  (rows, cols)
//   returns (rows, cols): each row turned into weights that are positive and sum
//   to 1, exp(x - max) / sum(exp(x - max)). Subtracting the row's maximum keeps
//   exp from overflowing: scores of 1000 must still give finite weights.
Tensor softmax_rows(const Tensor& scores);

// Exercise 3.3: context vectors for every token (book section 3.3.2, all_context_vecs).
//   inputs:  (T, d)
//   returns (T, d): row i is z(i) = sum over j of weight[i][j] * inputs[j], where
//   weight[i] is the softmax of the scores of query i against every input.
Tensor context_vectors(const Tensor& inputs);

}  // namespace lesson03
