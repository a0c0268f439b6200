#pragma once
// Lesson 08's exercises: the contract. Write the bodies in exercises.cpp, then
// check them with `./workbook check 08`. `./workbook run 08` draws the grids yours
// should produce.
#include <cstdint>

#include "lib/tensor.hpp"

namespace lesson08 {

using wb::Tensor;

// The masks here use the book's convention (torch.triu(torch.ones(T, T), diagonal=1)):
// a (T, T) tensor with 1 where query i may NOT see key j, 0 where it may.

// Exercise 8.1: the Sparse Transformer's strided pattern (Child et al. 2019).
// Query i sees key j when j <= i and either j is among the previous `stride`
// positions (i - j < stride) or i - j is a multiple of the stride.
Tensor strided_mask(std::size_t T, std::size_t stride);

// Exercise 8.2: the fixed pattern. Query i sees key j when j <= i and either j is in
// i's block of `stride` positions (j / stride == i / stride) or j is one of the last
// `summary` positions of its block (j % stride >= stride - summary).
Tensor fixed_mask(std::size_t T, std::size_t stride, std::size_t summary);

// Exercise 8.3: how many (query, key) pairs a sliding window of w attends to over
// T positions (each query sees itself and the w - 1 before it), without a T x T loop:
// the count for T = 16,384 and w = 256 must come at once.
std::uint64_t sliding_window_pairs(std::uint64_t T, std::uint64_t w);

}  // namespace lesson08
