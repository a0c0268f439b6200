// Lesson 11 exercises: your answers go here.
//
// Each function below throws "not implemented yet" until you replace the throw
// with your code. `./workbook check 11` runs the tests (TODO / PASS / FAIL);
// `./workbook hint 11 11.1` gives a hint. The contract is in exercises.hpp.
//
// You may use everything in lib/: Tensor (x(i), x(i, j), x.size(0), wb::zeros,
// wb::full) and, from lib/ops.hpp, wb::matmul, wb::softmax, wb::cat, wb::dot, ...
// (but not lib/flash_attention.hpp's merge or lib/rope.hpp: those are the answers).
#include "exercises.hpp"

#include "lib/errors.hpp"
#include "lib/ops.hpp"

namespace lesson11 {

PartialAttention merge_partials(const PartialAttention& a, const PartialAttention& b) {
    // TODO exercise 11.1: per row, the larger max, both sums rescaled to it, the outputs weighted by them.
    throw wb::NotImplemented("11.1", "lessons/11_long_context/exercises.cpp");
}

Tensor rope(const Tensor& x, std::size_t position) {
    // TODO exercise 11.2: turn each pair (x[i], x[i + d/2]) by position * theta_i.
    throw wb::NotImplemented("11.2", "lessons/11_long_context/exercises.cpp");
}

Tensor attend_with_cache(const Tensor& q, const Tensor& k, const Tensor& v, Tensor& k_cache, Tensor& v_cache) {
    // TODO exercise 11.3: append k and v to the caches, then softmax(scores / sqrt(d)) @ values for q.
    throw wb::NotImplemented("11.3", "lessons/11_long_context/exercises.cpp");
}

}  // namespace lesson11
