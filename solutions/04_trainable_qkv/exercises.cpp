// Reference answers to lesson 04's exercises (the contract is in
// lessons/04_trainable_qkv/exercises.hpp).
#include "exercises.hpp"

#include <cmath>

#include "lib/ops.hpp"

namespace lesson04 {

QKV project_qkv(const Tensor& inputs, const Tensor& W_query, const Tensor& W_key, const Tensor& W_value) {
    return {wb::matmul(inputs, W_query), wb::matmul(inputs, W_key), wb::matmul(inputs, W_value)};
}

Tensor scaled_attention_scores(const Tensor& queries, const Tensor& keys) {
    const double d_k = static_cast<double>(keys.size(1));
    return wb::matmul(queries, wb::T(keys)) / static_cast<float>(std::sqrt(d_k));
}

wb::SelfAttention_v1 v1_with_v2_weights(const wb::SelfAttention_v2& v2) {
    // nn.Linear computes x @ weight.T, so v1's matrices are the transposes.
    return wb::SelfAttention_v1(wb::T(v2.W_query.weight), wb::T(v2.W_key.weight), wb::T(v2.W_value.weight));
}

}  // namespace lesson04
