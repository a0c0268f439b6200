#include "lib/model_config.hpp"

#include <array>
#include <limits>

#include <fmt/format.h>

#include "lib/errors.hpp"

namespace wb {

ModelConfig llama_3_1_8b() {
    ModelConfig c;
    c.name = "Llama 3.1 8B";
    c.layers = 32;
    c.d_model = 4096;
    c.heads = 32;
    c.kv_heads = 8;
    c.head_dim = 128;
    c.ffn_dim = 14336;
    c.vocab = 128256;
    c.context = 131072;
    c.rope_base = 500000.0;
    return c;
}

ParameterCount count_parameters(const ModelConfig& c) {
    for (const std::uint64_t size : {c.layers, c.d_model, c.heads, c.kv_heads, c.head_dim, c.ffn_dim, c.vocab})
        if (size == 0) throw ValueError(fmt::format("{}: every size in the table must be at least 1", c.name));
    if (c.heads % c.kv_heads != 0)
        throw ValueError(fmt::format("{}: {} K/V heads do not divide {} query heads", c.name, c.kv_heads, c.heads));
    ParameterCount p{};
    const std::uint64_t q_width = c.heads * c.head_dim, kv_width = c.kv_heads * c.head_dim;
    p.q_proj = c.d_model * q_width;
    p.k_proj = p.v_proj = c.d_model * kv_width;  // the only matrices GQA shrinks
    p.o_proj = q_width * c.d_model;
    p.attention_per_layer = p.q_proj + p.k_proj + p.v_proj + p.o_proj;
    p.attention = p.attention_per_layer * c.layers;
    p.kv_proj = (p.k_proj + p.v_proj) * c.layers;
    p.ffn_per_layer = 3 * c.d_model * c.ffn_dim;  // gate, up and down
    p.norms_per_layer = 2 * c.d_model;
    p.embedding = p.lm_head = c.vocab * c.d_model;
    p.final_norm = c.d_model;
    p.total = (p.attention_per_layer + p.ffn_per_layer + p.norms_per_layer) * c.layers + p.embedding + p.lm_head +
              p.final_norm;
    return p;
}

std::uint64_t gqa_attention_parameters(std::uint64_t d_model, std::uint64_t heads, std::uint64_t kv_heads,
                                       std::uint64_t head_dim) {
    return 2 * d_model * heads * head_dim + 2 * d_model * kv_heads * head_dim;  // q and o, k and v
}

std::uint64_t latent_attention_parameters(std::uint64_t d_model, const LatentAttention& a) {
    const std::uint64_t q_head = a.qk_nope_head_dim + a.qk_rope_head_dim;
    return d_model * a.q_lora_rank + a.q_lora_rank                                 // q_a_proj, its norm
           + a.q_lora_rank * a.heads * q_head                                      // q_b_proj
           + d_model * (a.kv_lora_rank + a.qk_rope_head_dim) + a.kv_lora_rank      // kv_a_proj, its norm
           + a.kv_lora_rank * a.heads * (a.qk_nope_head_dim + a.v_head_dim)        // kv_b_proj
           + a.heads * a.v_head_dim * d_model;                                     // o_proj
}

MoEModelConfig mixtral_8x7b() {
    MoEModelConfig c;
    c.name = "Mixtral 8x7B";
    c.layers = 32;
    c.d_model = 4096;
    c.vocab = 32000;
    c.attention_per_layer = gqa_attention_parameters(4096, 32, 8, 128);
    c.expert_ffn_dim = 14336;
    c.routed_experts = 8;
    c.top_k = 2;
    return c;
}

MoEModelConfig deepseek_v3() {
    MoEModelConfig c;
    c.name = "DeepSeek-V3";
    c.layers = 61;
    c.dense_layers = 3;
    c.d_model = 7168;
    c.vocab = 129280;
    c.attention_per_layer = latent_attention_parameters(7168, {128, 1536, 512, 128, 64, 128});
    c.dense_ffn_dim = 18432;
    c.expert_ffn_dim = 2048;
    c.routed_experts = 256;
    c.shared_experts = 1;
    c.top_k = 8;
    c.router_bias = true;
    return c;
}

MoEParameterCount count_parameters(const MoEModelConfig& c) {
    if (c.layers == 0 || c.d_model == 0 || c.vocab == 0 || c.routed_experts == 0 || c.expert_ffn_dim == 0)
        throw ValueError(fmt::format("{}: layers, d_model, vocab, experts and the expert FFN must be at least 1", c.name));
    if (c.top_k == 0 || c.top_k > c.routed_experts)
        throw ValueError(fmt::format("{}: top-{} of {} routed experts (k takes 1 to {})", c.name, c.top_k,
                                     c.routed_experts, c.routed_experts));
    if (c.dense_layers > c.layers)
        throw ValueError(fmt::format("{}: {} dense layers of {} in all", c.name, c.dense_layers, c.layers));
    MoEParameterCount p{};
    p.expert = 3 * c.d_model * c.expert_ffn_dim;  // SwiGLU: gate, up, down
    const std::uint64_t router = c.routed_experts * c.d_model + (c.router_bias ? c.routed_experts : 0);
    const std::uint64_t norms = 2 * c.d_model;
    const std::uint64_t dense_layer = c.attention_per_layer + 3 * c.d_model * c.dense_ffn_dim + norms;
    const std::uint64_t moe_shared = c.attention_per_layer + router + c.shared_experts * p.expert + norms;
    const std::uint64_t moe_layers = c.layers - c.dense_layers;
    const std::uint64_t outside = 2 * c.vocab * c.d_model + c.d_model;  // embedding, lm_head, final norm
    p.total = c.dense_layers * dense_layer + moe_layers * (moe_shared + c.routed_experts * p.expert) + outside;
    p.active = c.dense_layers * dense_layer + moe_layers * (moe_shared + c.top_k * p.expert) + outside;
    return p;
}

std::uint64_t kv_cache_bytes(std::uint64_t layers, std::uint64_t kv_heads, std::uint64_t head_dim,
                             std::uint64_t bytes_per_value, std::uint64_t tokens) {
    std::uint64_t n = 2;  // a key and a value
    for (const std::uint64_t factor : {layers, kv_heads, head_dim, bytes_per_value, tokens}) {
        if (factor != 0 && n > std::numeric_limits<std::uint64_t>::max() / factor)
            throw ValueError("kv_cache_bytes: the cache would need more than 2^64 bytes");
        n *= factor;
    }
    return n;
}

std::string format_bytes(std::uint64_t n) {
    static constexpr std::array<const char*, 5> units = {"bytes", "KiB", "MiB", "GiB", "TiB"};
    std::size_t u = 0;
    std::uint64_t scale = 1;
    while (u + 1 < units.size() && n / 1024 >= scale) {
        scale *= 1024;
        ++u;
    }
    if (n % scale == 0) return fmt::format("{} {}", n / scale, units[u]);
    return fmt::format("{:.1f} {}", static_cast<double>(n) / static_cast<double>(scale), units[u]);
}

}  // namespace wb
