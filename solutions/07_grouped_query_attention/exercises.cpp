// Reference answers to lesson 07's exercises (the contract is in
// lessons/07_grouped_query_attention/exercises.hpp).
#include "exercises.hpp"

#include <algorithm>

namespace lesson07 {

std::size_t kv_head_of(std::size_t query_head, std::size_t num_heads, std::size_t num_kv_heads) {
    const std::size_t group_size = num_heads / num_kv_heads;
    return query_head / group_size;
}

Tensor repeat_kv(const Tensor& x, std::size_t groups) {
    const std::size_t B = x.size(0), H_kv = x.size(1), T = x.size(2), hd = x.size(3);
    Tensor out(wb::Shape{B, H_kv * groups, T, hd});
    for (std::size_t b = 0; b < B; ++b)
        for (std::size_t h = 0; h < H_kv * groups; ++h)  // a head is one (T, hd) block of T * hd numbers
            std::copy_n(x.data() + (b * H_kv + h / groups) * T * hd, T * hd, out.data() + (b * H_kv * groups + h) * T * hd);
    return out;
}

std::uint64_t kv_cache_bytes(std::uint64_t layers, std::uint64_t kv_heads, std::uint64_t head_dim,
                             std::uint64_t bytes_per_value, std::uint64_t tokens) {
    const std::uint64_t numbers_per_token = 2 * layers * kv_heads * head_dim;  // a key and a value
    return numbers_per_token * bytes_per_value * tokens;
}

}  // namespace lesson07
