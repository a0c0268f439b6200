// Reference answers to lesson 05's exercises (the contract is in
// lessons/05_causal_attention/exercises.hpp).
#include "exercises.hpp"

#include <cmath>
#include <limits>

#include "lib/ops.hpp"

namespace lesson05 {

Tensor causal_softmax(const Tensor& scores) {
    const std::size_t T = scores.size(0);
    const Tensor future = wb::triu(wb::ones({T, T}), 1);
    return wb::softmax(wb::masked_fill(scores, future, -std::numeric_limits<float>::infinity()), -1);
}

Tensor dropout(const Tensor& x, double p, wb::Generator& g) {
    const double keep = 1.0 - p;
    const float scale = 1.0f / static_cast<float>(keep);
    Tensor out = x;
    for (float& v : out.values()) v = g.uniform_double() < keep ? v * scale : 0.0f;
    return out;
}

Tensor causal_attention(const Tensor& x, const Tensor& W_query, const Tensor& W_key, const Tensor& W_value) {
    const Tensor queries = wb::matmul(x, W_query), keys = wb::matmul(x, W_key), values = wb::matmul(x, W_value);
    const float sqrt_d_k = static_cast<float>(std::sqrt(static_cast<double>(keys.size(1))));
    return wb::matmul(causal_softmax(wb::matmul(queries, wb::T(keys)) / sqrt_d_k), values);
}

}  // namespace lesson05
