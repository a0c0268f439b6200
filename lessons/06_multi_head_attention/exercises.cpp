// Lesson 06 exercises: your answers go here.
//
// Each function below throws "not implemented yet" until you replace the throw
// with your code. `./workbook check 06` runs the tests (TODO / PASS / FAIL);
// `./workbook hint 06 6.1` gives a hint. The contract is in exercises.hpp.
//
// You may use everything in lib/: Tensor (x(i, j, k), x.values(), x.shape(),
// wb::zeros({...})), x.reshape({...}) and wb::transpose(x, dim0, dim1) from lib/ops.hpp,
// and the modules of lib/multi_head_attention.hpp.
#include "exercises.hpp"

#include "lib/errors.hpp"
#include "lib/ops.hpp"

namespace lesson06 {

Tensor split_heads(const Tensor& x, std::size_t num_heads) {
    // TODO exercise 6.1: view as (B, T, H, head_dim), then swap dimensions 1 and 2.
    throw wb::NotImplemented("6.1", "lessons/06_multi_head_attention/exercises.cpp");
}

Tensor merge_heads(const Tensor& x) {
    // TODO exercise 6.2: the steps of 6.1 in reverse order.
    throw wb::NotImplemented("6.2", "lessons/06_multi_head_attention/exercises.cpp");
}

wb::MultiHeadAttentionWrapper two_dimensional_wrapper(wb::Generator& g) {
    // TODO exercise 6.3: which argument sets the width of each head's output?
    throw wb::NotImplemented("6.3", "lessons/06_multi_head_attention/exercises.cpp");
}

std::uint64_t gpt2_attention_parameters() {
    // TODO exercise 6.4: build the module and add up the sizes of its parameters.
    throw wb::NotImplemented("6.4", "lessons/06_multi_head_attention/exercises.cpp");
}

}  // namespace lesson06
