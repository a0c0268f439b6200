#pragma once
// Rotary position embeddings (RoPE; Su et al. 2021, "RoFormer"), as Llama applies
// them to the queries and keys of every head (lesson 11). Position m turns each pair
// of a vector's numbers by the angle m * theta_i, with theta_i = base^(-2i/d): the
// first pairs turn fast, the last ones slowly. A query at m and a key at n then
// score q_m . k_n = a function of q, k and m - n only: attention sees how far apart
// two tokens are, not where they are.
//
// The layout is Hugging Face's Llama (rotate_half): pair i is (x[i], x[i + d/2]),
// not (x[2i], x[2i+1]) as in RoFormer's paper and Meta's reference code. The two
// differ by a fixed reordering of the head's dimensions (HF reorders the q and k
// weights when it converts Meta's checkpoints), so both compute the same model.
//
//   out[i]       = x[i] cos(m theta_i) - x[i + d/2] sin(m theta_i)
//   out[i + d/2] = x[i + d/2] cos(m theta_i) + x[i] sin(m theta_i)      i < d/2
//
// The angles are computed in float32 as HF computes them: inv_freq = 1 / base **
// (arange(0, d, 2) / d), then position * inv_freq, then cos and sin.
#include <cstddef>
#include <vector>

#include "lib/tensor.hpp"

namespace wb {

// RoFormer's base; Llama 1 and 2 use it too. Llama 3 and 3.1 use 500,000.
constexpr double kRopeBase = 10000.0;

// theta_i = 1 / base^(2i / d) for i < d/2: d/2 float32 values. ValueError unless d is
// even and at least 2, and base > 1.
std::vector<float> rope_inverse_frequencies(std::size_t d, double base = kRopeBase);

// x (d) at `position` -> x rotated (d).
Tensor apply_rope(const Tensor& x, std::size_t position, double base = kRopeBase);
// x (T, d), row t at positions[t] -> (T, d). ShapeError naming the shapes when
// positions has not one entry per row.
Tensor apply_rope(const Tensor& x, const std::vector<std::size_t>& positions, double base = kRopeBase);

}  // namespace wb
