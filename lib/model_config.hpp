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

// --- mixture-of-experts models: total against active parameters (lesson 09) ----------

// Multi-head latent attention (DeepSeek-V2/V3): queries and keys/values pass through
// low-rank bottlenecks (q_lora_rank, kv_lora_rank), and each head's query and key
// have a part without position (nope) and a rotary part (rope).
struct LatentAttention {
    std::uint64_t heads = 0, q_lora_rank = 0, kv_lora_rank = 0;
    std::uint64_t qk_nope_head_dim = 0, qk_rope_head_dim = 0, v_head_dim = 0;
};
// One layer's attention parameters: Llama-style grouped-query attention (no biases)...
std::uint64_t gqa_attention_parameters(std::uint64_t d_model, std::uint64_t heads, std::uint64_t kv_heads,
                                       std::uint64_t head_dim);
// ... and latent attention: q_a, q_a norm, q_b, kv_a (with the shared rope key), kv_a
// norm, kv_b, o.
std::uint64_t latent_attention_parameters(std::uint64_t d_model, const LatentAttention& a);

// A decoder whose feed-forward layers are mixtures of SwiGLU experts, after
// dense_layers ordinary (dense) ones. Each token visits top_k of routed_experts and
// always the shared_experts. Untied embeddings; two RMSNorm vectors a layer.
struct MoEModelConfig {
    std::string name;
    std::uint64_t layers = 0, dense_layers = 0, d_model = 0, vocab = 0;
    std::uint64_t attention_per_layer = 0;  // from one of the two functions above
    std::uint64_t dense_ffn_dim = 0, expert_ffn_dim = 0;
    std::uint64_t routed_experts = 0, shared_experts = 0, top_k = 0;
    bool router_bias = false;  // DeepSeek-V3 adds a bias per expert to the routing scores
};
// Mistral's Mixtral 8x7B: Mistral 7B's 32 layers with 8 experts of FFN 14,336, top-2.
MoEModelConfig mixtral_8x7b();
// DeepSeek-V3: 61 layers (3 dense), latent attention, 256 routed experts of FFN 2,048
// plus one shared, top-8. Without the multi-token-prediction module (HF's 685B has it).
MoEModelConfig deepseek_v3();

struct MoEParameterCount {
    std::uint64_t expert;  // one SwiGLU expert
    std::uint64_t total;   // every parameter
    std::uint64_t active;  // what one token runs through: all but the unchosen routed experts
};
MoEParameterCount count_parameters(const MoEModelConfig& c);

// The KV cache: a key and a value vector of head_dim numbers per K/V head, per
// layer, per token. bf16 and fp16 take 2 bytes a number, float32 4.
//   2 * layers * kv_heads * head_dim * bytes_per_value * tokens
std::uint64_t kv_cache_bytes(std::uint64_t layers, std::uint64_t kv_heads, std::uint64_t head_dim,
                             std::uint64_t bytes_per_value, std::uint64_t tokens);

// A size in 1,024-based units: "512 bytes", "128 KiB", "16 GiB", "1.5 MiB".
std::string format_bytes(std::uint64_t n);

}  // namespace wb
