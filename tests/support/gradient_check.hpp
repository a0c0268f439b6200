#pragma once
// Backward passes against central finite differences of their forward.
#include <functional>
#include <string>

#include "lib/tensor.hpp"

namespace wb::testing {

// sum(out * weights) in double: a scalar whose gradient with respect to out is `weights`.
double weighted_sum(const Tensor& out, const Tensor& weights);

// Compares `analytic` with (loss(x + eps) - loss(x - eps)) / 2 eps, element by
// element of `x`, and reports (up to three) elements that differ.
void check_gradient(const std::string& what, Tensor& x, const Tensor& analytic, const std::function<double()>& loss);

}  // namespace wb::testing
