// Lesson 10 exercise: your answer goes here.
//
// The function below throws "not implemented yet" until you replace the throw with
// your code. `./workbook check 10` runs the test (TODO / PASS / FAIL);
// `./workbook hint 10 10.1` gives a hint. The contract is in exercises.hpp.
//
// You may use everything in lib/: Tensor (p.data(), p.numel(), p.shape(),
// wb::to_string(shape)), wb::ShapeError, and <cmath> (std::pow, std::sqrt).
#include "exercises.hpp"

#include "lib/errors.hpp"

namespace lesson10 {

void adamw_step(Tensor& p, const Tensor& grad, Tensor& m, Tensor& v, std::size_t t, const AdamWSettings& s) {
    // TODO exercise 10.1: the two bias corrections first, then one pass over the elements.
    throw wb::NotImplemented("10.1", "lessons/10_capstone/exercises.cpp");
}

}  // namespace lesson10
