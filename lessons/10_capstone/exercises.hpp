#pragma once
// Lesson 10's exercise: the contract. Write the body in exercises.cpp, then check it
// with `./workbook check 10`.
#include <cstddef>

#include "lib/tensor.hpp"

namespace lesson10 {

using wb::Tensor;

// AdamW's settings for one parameter (torch.optim.AdamW's names).
struct AdamWSettings {
    float lr = 1e-3f;
    float beta1 = 0.9f, beta2 = 0.999f;
    float eps = 1e-8f;
    float weight_decay = 0.01f;  // 0 for a parameter that does not decay (biases, LayerNorm)
};

// Exercise 10.1: one AdamW step, step number t (1 for the first), on parameter p with
// gradient grad; m and v (p's shape) are the running means from the steps before
// (zeros before the first) and are updated in place. For every element:
//
//   p = p * (1 - lr * weight_decay)
//   m = beta1 * m + (1 - beta1) * grad
//   v = beta2 * v + (1 - beta2) * grad * grad
//   p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
//
// A shape mismatch among p, grad, m and v is a wb::ShapeError naming the shapes; t = 0
// (which would divide by 1 - beta1^0 = 0) is a wb::ValueError.
void adamw_step(Tensor& p, const Tensor& grad, Tensor& m, Tensor& v, std::size_t t, const AdamWSettings& s);

}  // namespace lesson10
