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
