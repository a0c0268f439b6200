// Your answers to lesson 04's exercises, for `./workbook run 04 --mine` (lib/yours.hpp):
// the walkthrough computes these steps with your functions instead of lib's.
#include "exercises.hpp"
#include "lib/ops.hpp"
#include "lib/yours.hpp"

namespace {

using wb::Tensor;

// The walkthrough compares all three projections as one (3, T, d_out) tensor.
Tensor stacked_qkv(const Tensor& inputs, const Tensor& W_query, const Tensor& W_key, const Tensor& W_value) {
    const lesson04::QKV qkv = lesson04::project_qkv(inputs, W_query, W_key, W_value);
    return wb::stack({qkv.queries, qkv.keys, qkv.values});
}

// It shows a SelfAttention_v1 by what it computes.
Tensor v1_output(const wb::SelfAttention_v2& v2, const Tensor& inputs) {
    return lesson04::v1_with_v2_weights(v2).forward(inputs);
}

}  // namespace

wb::YourExercises wb::your_exercises() {
    YourExercises yours;
    yours.add("4.1", "project_qkv", stacked_qkv);
    yours.add("4.2", "scaled_attention_scores", lesson04::scaled_attention_scores);
    yours.add("4.3", "v1_with_v2_weights", v1_output);
    return yours;
}
