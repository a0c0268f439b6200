// Lesson 04 exercises: your answers go here.
//
// Each function below throws "not implemented yet" until you replace the throw
// with your code. `./workbook check 04` runs the tests (TODO / PASS / FAIL);
// `./workbook hint 04 4.1` gives a hint. The contract is in exercises.hpp.
//
// You may use everything in lib/: Tensor (x(i, j), x.size(0), wb::zeros({rows, cols}))
// and, from lib/ops.hpp, wb::matmul, wb::T (transpose), wb::softmax, ...
#include "exercises.hpp"

#include "lib/errors.hpp"
#include "lib/ops.hpp"

namespace lesson04 {

QKV project_qkv(const Tensor& inputs, const Tensor& W_query, const Tensor& W_key, const Tensor& W_value) {
    // TODO exercise 4.1: three matrix products.
    throw wb::NotImplemented("4.1", "lessons/04_trainable_qkv/exercises.cpp");
}

Tensor scaled_attention_scores(const Tensor& queries, const Tensor& keys) {
    // TODO exercise 4.2: queries @ keys.T, divided by the square root of the keys' width.
    throw wb::NotImplemented("4.2", "lessons/04_trainable_qkv/exercises.cpp");
}

wb::SelfAttention_v1 v1_with_v2_weights(const wb::SelfAttention_v2& v2) {
    // TODO exercise 4.3: build a SelfAttention_v1 from v2's three weights.
    throw wb::NotImplemented("4.3", "lessons/04_trainable_qkv/exercises.cpp");
}

}  // namespace lesson04
