// Lesson 05 exercises: your answers go here.
//
// Each function below throws "not implemented yet" until you replace the throw
// with your code. `./workbook check 05` runs the tests (TODO / PASS / FAIL);
// `./workbook hint 05 5.1` gives a hint. The contract is in exercises.hpp.
//
// You may use everything in lib/: Tensor (x(i, j), x.size(0), x.values(),
// wb::zeros({rows, cols})) and, from lib/ops.hpp, wb::matmul, wb::T, wb::softmax,
// wb::masked_fill, wb::triu, wb::ones, ...
#include "exercises.hpp"

#include "lib/errors.hpp"
#include "lib/ops.hpp"

namespace lesson05 {

Tensor causal_softmax(const Tensor& scores) {
    // TODO exercise 5.1: mask the future with -inf, then softmax every row.
    throw wb::NotImplemented("5.1", "lessons/05_causal_attention/exercises.cpp");
}

Tensor dropout(const Tensor& x, double p, wb::Generator& g) {
    // TODO exercise 5.2: one g.uniform_double() per element; keep and rescale, or zero.
    throw wb::NotImplemented("5.2", "lessons/05_causal_attention/exercises.cpp");
}

Tensor causal_attention(const Tensor& x, const Tensor& W_query, const Tensor& W_key, const Tensor& W_value) {
    // TODO exercise 5.3: queries, keys, values; scaled scores; causal_softmax; weights @ values.
    throw wb::NotImplemented("5.3", "lessons/05_causal_attention/exercises.cpp");
}

}  // namespace lesson05
