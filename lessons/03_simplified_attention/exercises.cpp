// Lesson 03 exercises: your answers go here.
//
// Each function below throws "not implemented yet" until you replace the throw
// with your code. `./workbook check 03` runs the tests (TODO / PASS / FAIL);
// `./workbook hint 03 3.1` gives a hint. The contract is in exercises.hpp.
//
// You may use everything in lib/: Tensor (x(i, j), x.row(i), x.shape(),
// wb::zeros({rows, cols})) and, from lib/ops.hpp, wb::exp, wb::sum, wb::matmul, ...
#include "exercises.hpp"

#include "lib/errors.hpp"
#include "lib/ops.hpp"

namespace lesson03 {

Tensor attention_scores(const Tensor& inputs, std::size_t query) {
    // TODO exercise 3.1: one dot product per input row.
    throw wb::NotImplemented("3.1", "lessons/03_simplified_attention/exercises.cpp");
}

Tensor softmax_rows(const Tensor& scores) {
    // TODO exercise 3.2: for each row, subtract its maximum, exponentiate, divide by the sum.
    throw wb::NotImplemented("3.2", "lessons/03_simplified_attention/exercises.cpp");
}

Tensor context_vectors(const Tensor& inputs) {
    // TODO exercise 3.3: all scores, then softmax_rows, then weighted sums of the inputs.
    throw wb::NotImplemented("3.3", "lessons/03_simplified_attention/exercises.cpp");
}

}  // namespace lesson03
