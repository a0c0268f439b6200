// Lesson 01 exercises: your answers go here.
//
// Each function below throws "not implemented yet" until you replace the throw
// with your code. `./workbook check 01` runs the tests (TODO / PASS / FAIL);
// `./workbook hint 01 1.1` gives a hint. The contract is in exercises.hpp.
//
// Useful: wb::zeros({27, 27}), counts(i, j), wb::stoi('e'), std::log.
#include "exercises.hpp"

#include <cmath>

#include "lib/errors.hpp"
#include "lib/ops.hpp"

namespace lesson01 {

Tensor count_bigrams(const std::vector<std::string>& words) {
    // TODO exercise 1.1: for each word, walk the pairs of '.' + word + '.' and count them.
    throw wb::NotImplemented("1.1", "lessons/01_bigram_counts/exercises.cpp");
}

Tensor normalize_rows(const Tensor& counts, float smoothing) {
    // TODO exercise 1.2: add smoothing to every count, then divide each row by its sum.
    throw wb::NotImplemented("1.2", "lessons/01_bigram_counts/exercises.cpp");
}

float average_nll(const Tensor& probs, const std::vector<std::string>& words) {
    // TODO exercise 1.3: add up log(probs(i, j)) over every bigram, negate, divide by their number.
    throw wb::NotImplemented("1.3", "lessons/01_bigram_counts/exercises.cpp");
}

}  // namespace lesson01
