#include "lib/multi_head_attention.hpp"

#include <fmt/format.h>

#include "lib/errors.hpp"
#include "lib/ops.hpp"

namespace wb {
namespace {

std::size_t count(const Linear& layer) { return layer.weight.numel() + layer.bias.numel(); }

}  // namespace

std::uint64_t multi_head_attention_parameters(std::uint64_t d_in, std::uint64_t d_out, bool qkv_bias) {
    return 3 * (d_in * d_out + (qkv_bias ? d_out : 0)) + d_out * d_out + d_out;
}

AttentionAccounting account_attention(std::uint64_t d_model, std::uint64_t d_head, std::uint64_t heads,
                                      std::uint64_t layers) {
    AttentionAccounting a{};
    a.query = a.key = a.value_down = a.value_up = d_model * d_head;
    a.per_head = a.query + a.key + a.value_down + a.value_up;
    a.per_block = a.per_head * heads;
    a.total = a.per_block * layers;
    return a;
}

MultiHeadAttentionWrapper::MultiHeadAttentionWrapper(std::size_t d_in, std::size_t d_out, std::size_t context_length,
                                                     double dropout, std::size_t num_heads, Generator& g,
                                                     bool qkv_bias) {
    if (num_heads == 0) throw ValueError("MultiHeadAttentionWrapper: num_heads must be at least 1");
    heads.reserve(num_heads);
    for (std::size_t h = 0; h < num_heads; ++h) heads.emplace_back(d_in, d_out, context_length, dropout, g, qkv_bias);
}

Tensor MultiHeadAttentionWrapper::forward(const Tensor& x) {
    std::vector<Tensor> outputs;
    for (CausalAttention& head : heads) outputs.push_back(head.forward(x));
    return cat(outputs, -1);
}

std::size_t MultiHeadAttentionWrapper::num_parameters() const {
    std::size_t n = 0;
    for (const CausalAttention& head : heads) n += count(head.W_query) + count(head.W_key) + count(head.W_value);
    return n;
}

MultiHeadAttention::MultiHeadAttention(std::size_t d_in, std::size_t d_out, std::size_t context_length, double dropout,
                                       std::size_t num_heads, Generator& g, bool qkv_bias)
    : GroupedQueryAttention(d_in, d_out, context_length, dropout, num_heads, num_heads, g, qkv_bias,
                            "MultiHeadAttention") {}

}  // namespace wb
