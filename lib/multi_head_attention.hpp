#pragma once
// Multi-head attention, the book's section 3.6, both ways it builds it:
//
//   MultiHeadAttentionWrapper  3.6.1  num_heads separate CausalAttention modules,
//                                     their outputs side by side (torch.cat, dim=-1)
//   MultiHeadAttention         3.6.2  one W_query/W_key/W_value of width d_out, split
//                                     into heads of d_out/num_heads by reshaping, one
//                                     batched attention for all heads, then out_proj
//
// Shapes: B batch, T tokens, H heads, hd = d_out / H the width of one head.
//
//   x (B, T, d_in) -> queries, keys, values (B, T, d_out) -> split_heads (B, H, T, hd)
//   -> causal scaled dot-product attention per head (B, H, T, hd)
//   -> merge_heads (B, T, d_out) -> out_proj (B, T, d_out)
#include <cstdint>
#include <vector>

#include "lib/attention.hpp"
#include "lib/dropout.hpp"
#include "lib/grouped_query_attention.hpp"
#include "lib/linear.hpp"
#include "lib/random.hpp"
#include "lib/self_attention.hpp"
#include "lib/tensor.hpp"

namespace wb {

// The parameters of the book's MultiHeadAttention, from its sizes alone: W_query,
// W_key, W_value (d_in x d_out each, plus d_out biases with qkv_bias) and out_proj
// (d_out x d_out plus d_out). GPT-2 small (768, 768, no qkv bias): 2,360,064.
std::uint64_t multi_head_attention_parameters(std::uint64_t d_in, std::uint64_t d_out, bool qkv_bias);

// 3Blue1Brown's accounting of one model's attention, where each head's value map is
// a "value down" (d_model x d_head) then a "value up" (d_head x d_model).
struct AttentionAccounting {
    std::uint64_t query, key, value_down, value_up;  // one head's matrices
    std::uint64_t per_head, per_block, total;        // and the sums
};
AttentionAccounting account_attention(std::uint64_t d_model, std::uint64_t d_head, std::uint64_t heads,
                                      std::uint64_t layers);

class MultiHeadAttentionWrapper {
public:
    // num_heads CausalAttention(d_in, d_out, ...) heads, drawn one after the other
    MultiHeadAttentionWrapper(std::size_t d_in, std::size_t d_out, std::size_t context_length, double dropout,
                              std::size_t num_heads, Generator& g, bool qkv_bias = false);
    // x (B, T, d_in) -> (B, T, num_heads * d_out)
    Tensor forward(const Tensor& x);
    std::size_t num_parameters() const;

    std::vector<CausalAttention> heads;
};

// The book's class. It is grouped-query attention (lib/grouped_query_attention.hpp)
// with one K/V head per query head, so lesson 07's GQA and MQA are this module
// with fewer K/V heads, and the code, forward and backward, is written once.
class MultiHeadAttention : public GroupedQueryAttention {
public:
    // d_out must be a multiple of num_heads. Draws W_query, W_key, W_value (no bias
    // unless qkv_bias) and out_proj (with bias), in that order, as the book's class.
    MultiHeadAttention(std::size_t d_in, std::size_t d_out, std::size_t context_length, double dropout,
                       std::size_t num_heads, Generator& g, bool qkv_bias = false);
};

}  // namespace wb
