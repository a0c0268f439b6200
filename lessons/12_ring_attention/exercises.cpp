// Lesson 12 exercises: your answers go here.
//
// Each function below throws "not implemented yet" until you replace the throw
// with your code. `./workbook check 12` runs the tests (TODO / PASS / FAIL);
// `./workbook hint 12 12.1` gives a hint. The contract is in exercises.hpp.
#include "exercises.hpp"

#include "lib/errors.hpp"

namespace lesson12 {

std::size_t held_block(std::size_t rank, std::size_t step, std::size_t ranks) {
    // TODO exercise 12.1: the block rank `rank` holds at step `step`, (rank - step) mod ranks.
    throw wb::NotImplemented("12.1", "lessons/12_ring_attention/exercises.cpp");
}

std::vector<std::size_t> block_sizes(std::size_t tokens, std::size_t ranks) {
    // TODO exercise 12.2: `ranks` sizes adding up to `tokens`, the first tokens % ranks one larger.
    throw wb::NotImplemented("12.2", "lessons/12_ring_attention/exercises.cpp");
}

std::uint64_t ring_bytes(const std::vector<std::size_t>& sizes, std::size_t d_k, std::size_t d_v, bool causal) {
    // TODO exercise 12.3: the sum over blocks of hops x the block's bytes.
    throw wb::NotImplemented("12.3", "lessons/12_ring_attention/exercises.cpp");
}

}  // namespace lesson12
