// Lesson 08 exercises: your answers go here.
//
// Each function below throws "not implemented yet" until you replace the throw
// with your code. `./workbook check 08` runs the tests (TODO / PASS / FAIL);
// `./workbook hint 08 8.1` gives a hint. The contract is in exercises.hpp.
//
// You may use everything in lib/: wb::zeros({T, T}), wb::ones({T, T}), m(i, j) = 1.0f.
#include "exercises.hpp"

#include "lib/errors.hpp"

namespace lesson08 {

Tensor strided_mask(std::size_t T, std::size_t stride) {
    // TODO exercise 8.1: start from all blocked, then open the pairs the two heads see.
    throw wb::NotImplemented("8.1", "lessons/08_sparse_attention/exercises.cpp");
}

Tensor fixed_mask(std::size_t T, std::size_t stride, std::size_t summary) {
    // TODO exercise 8.2: the same, with the block head and the summary head.
    throw wb::NotImplemented("8.2", "lessons/08_sparse_attention/exercises.cpp");
}

std::uint64_t sliding_window_pairs(std::uint64_t T, std::uint64_t w) {
    // TODO exercise 8.3: how many keys does query i see? Sum that over i, with a formula.
    throw wb::NotImplemented("8.3", "lessons/08_sparse_attention/exercises.cpp");
}

}  // namespace lesson08
