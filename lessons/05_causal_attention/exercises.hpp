#pragma once
// Lesson 05's exercises: the contract. Write the bodies in exercises.cpp, then
// check them with `./workbook check 05`. Each function is one step of the
// walkthrough, so `./workbook run 05` shows the numbers yours should produce.
#include "lib/random.hpp"
#include "lib/tensor.hpp"

namespace lesson05 {

using wb::Tensor;

// Exercise 5.1: causal attention weights (book 3.5.1).
//   scores:  (T, T), row i the scores of query i against every key
//   returns (T, T): row i is softmax over keys 0..i of the scores, and exactly 0
//   for the keys after i (the future): softmax(scores.masked_fill(triu(ones, 1), -inf)).
Tensor causal_softmax(const Tensor& scores);

// Exercise 5.2: dropout in training mode, exactly as torch draws it (book 3.5.2).
//   x: any shape;  p: the probability of dropping an element, 0 < p < 1 (a double,
//   like torch's Python float)
//   g: the generator (torch's global one), already seeded
//   For every element in row-major order draw u = g.uniform_double(); keep the
//   element when u < 1 - p (computed in double). Kept elements are multiplied by
//   1 / (1 - p) computed in float (1.0f / float(1 - p)), as torch does; dropped
//   ones are 0.
Tensor dropout(const Tensor& x, double p, wb::Generator& g);

// Exercise 5.3: causal self-attention of one sequence, from the three weight matrices.
//   x: (T, d_in);  W_query, W_key, W_value: (d_in, d_out)
//   returns (T, d_out): the context vectors, with queries = x @ W_query (and so on),
//   scores scaled by 1/sqrt(d_out), the future masked, softmax, times the values.
Tensor causal_attention(const Tensor& x, const Tensor& W_query, const Tensor& W_key, const Tensor& W_value);

}  // namespace lesson05
