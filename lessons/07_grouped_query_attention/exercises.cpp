// Lesson 07 exercises: your answers go here.
//
// Each function below throws "not implemented yet" until you replace the throw
// with your code. `./workbook check 07` runs the tests (TODO / PASS / FAIL);
// `./workbook hint 07 7.1` gives a hint. The contract is in exercises.hpp.
//
// You may use everything in lib/: Tensor (x(b, h, t, i), x.data(), x.size(d),
// x.shape(), wb::zeros({...})), std::copy_n for copying rows.
#include "exercises.hpp"

#include "lib/errors.hpp"

namespace lesson07 {

std::size_t kv_head_of(std::size_t query_head, std::size_t num_heads, std::size_t num_kv_heads) {
    // TODO exercise 7.1: how many query heads share one K/V head?
    throw wb::NotImplemented("7.1", "lessons/07_grouped_query_attention/exercises.cpp");
}

Tensor repeat_kv(const Tensor& x, std::size_t groups) {
    // TODO exercise 7.2: an output of H_kv * groups heads; fill head h from x's head h / groups.
    throw wb::NotImplemented("7.2", "lessons/07_grouped_query_attention/exercises.cpp");
}

std::uint64_t kv_cache_bytes(std::uint64_t layers, std::uint64_t kv_heads, std::uint64_t head_dim,
                             std::uint64_t bytes_per_value, std::uint64_t tokens) {
    // TODO exercise 7.3: count the numbers kept per token, then the bytes.
    throw wb::NotImplemented("7.3", "lessons/07_grouped_query_attention/exercises.cpp");
}

}  // namespace lesson07
