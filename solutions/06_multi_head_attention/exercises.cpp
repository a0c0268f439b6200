// Reference answers to lesson 06's exercises (the contract is in
// lessons/06_multi_head_attention/exercises.hpp).
#include "exercises.hpp"

#include "lib/ops.hpp"

namespace lesson06 {

Tensor split_heads(const Tensor& x, std::size_t num_heads) {
    const std::size_t B = x.size(0), T = x.size(1), head_dim = x.size(2) / num_heads;
    return wb::transpose(x.reshape({B, T, num_heads, head_dim}), 1, 2);
}

Tensor merge_heads(const Tensor& x) {
    const std::size_t B = x.size(0), H = x.size(1), T = x.size(2), head_dim = x.size(3);
    return wb::transpose(x, 1, 2).reshape({B, T, H * head_dim});
}

wb::MultiHeadAttentionWrapper two_dimensional_wrapper(wb::Generator& g) {
    // The wrapper concatenates its heads: 2 heads of d_out = 1 give 2 dimensions.
    return wb::MultiHeadAttentionWrapper(3, 1, 6, 0.0, 2, g);
}

std::uint64_t gpt2_attention_parameters() {
    wb::Generator g(123);
    wb::MultiHeadAttention mha(768, 768, 1024, 0.0, 12, g);
    std::uint64_t n = 0;
    for (const wb::Tensor* p : mha.parameters()) n += p->numel();
    return n;
}

}  // namespace lesson06
