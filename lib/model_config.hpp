#pragma once
// A decoder-only model described by its architecture table, the way model cards
// publish it, and what follows from the table alone: how many parameters each part
// has, and how much memory the KV cache needs at inference (lesson 07). Llama's
// layout: attention without biases, a SwiGLU feed-forward (three matrices), two
// RMSNorm weight vectors per layer and one at the end, untied embeddings.
#include <cstdint>
#include <string>

namespace wb {

struct ModelConfig {
    std::string name;
    std::uint64_t layers = 0, d_model = 0, heads = 0, kv_heads = 0, head_dim = 0;
    std::uint64_t ffn_dim = 0, vocab = 0, context = 0;
    double rope_base = 0;
};

// Meta's Llama 3.1 8B: 32 layers, d_model 4,096, 32 query heads, 8 K/V heads of 128,
// FFN 14,336, vocabulary 128,256, RoPE base 500,000, 131,072 tokens of context.
ModelConfig llama_3_1_8b();

struct ParameterCount {
    std::uint64_t q_proj, k_proj, v_proj, o_proj;  // one layer's attention matrices
    std::uint64_t attention_per_layer, attention;  // and all layers'
    std::uint64_t kv_proj;                         // W_key and W_value, all layers
    std::uint64_t ffn_per_layer, norms_per_layer;
    std::uint64_t embedding, lm_head, final_norm;
    std::uint64_t total;
};
// ValueError unless kv_heads divides heads and every size is at least 1.
ParameterCount count_parameters(const ModelConfig& c);

// The KV cache: a key and a value vector of head_dim numbers per K/V head, per
// layer, per token. bf16 and fp16 take 2 bytes a number, float32 4.
//   2 * layers * kv_heads * head_dim * bytes_per_value * tokens
std::uint64_t kv_cache_bytes(std::uint64_t layers, std::uint64_t kv_heads, std::uint64_t head_dim,
                             std::uint64_t bytes_per_value, std::uint64_t tokens);

// A size in 1,024-based units: "512 bytes", "128 KiB", "16 GiB", "1.5 MiB".
std::string format_bytes(std::uint64_t n);

}  // namespace wb
