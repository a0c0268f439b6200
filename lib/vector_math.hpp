#pragma once
// exp and tanh over whole arrays, written so the compiler turns them into SIMD
// loops (no calls, no branches, only selects). The C library's tanhf costs about
// 9 ns an element; the MLP of lesson 02 takes 6,400 of them per training step,
// which alone would be half of torch's whole step. torch, too, uses its own
// vectorised versions (Sleef), so neither side is bit-identical to libm.
//
// Accuracy, checked in tests/lib/test_vector_math.cpp: within a few float ulps
// of the exact values. exp flushes results below about 1.6e-38 (inputs below
// -87) to 0 instead of returning subnormals; infinities and NaN pass through.
#include <cstddef>

namespace wb::detail {

// y[i] = exp(x[i]); x and y may be the same array.
void exp(const float* x, float* y, std::size_t n);
// y[i] = tanh(x[i]); x and y may be the same array.
void tanh(const float* x, float* y, std::size_t n);

// sum of a[i] * b[i], accumulated in 8 interleaved partial sums (so it vectorises;
// the order differs from a plain loop's in the last bits).
float dot(const float* a, const float* b, std::size_t n);
// y[i] += alpha * x[i]
void axpy(float alpha, const float* x, float* y, std::size_t n);

}  // namespace wb::detail
