// Lesson 09 exercises: your answers go here.
//
// Each function below throws "not implemented yet" until you replace the throw
// with your code. `./workbook check 09` runs the tests (TODO / PASS / FAIL);
// `./workbook hint 09 9.1` gives a hint. The contract is in exercises.hpp.
//
// You may use everything in lib/: Tensor (x(t, e), x.size(d), wb::zeros({...})),
// and the standard library (std::sort, std::iota, std::floor).
#include "exercises.hpp"

#include "lib/errors.hpp"

namespace lesson09 {

Route top_k_routing(const Tensor& probs, std::size_t k) {
    // TODO exercise 9.1: per row, the k largest probabilities and their columns; then renormalise.
    throw wb::NotImplemented("9.1", "lessons/09_mixture_of_experts/exercises.cpp");
}

float load_balancing_loss(const Tensor& probs, const std::vector<std::size_t>& experts, std::size_t k, float alpha) {
    // TODO exercise 9.2: count f_i from the choices, average P_i over the rows, combine.
    throw wb::NotImplemented("9.2", "lessons/09_mixture_of_experts/exercises.cpp");
}

std::vector<bool> within_capacity(const std::vector<std::size_t>& experts, std::size_t k, std::size_t num_experts,
                                  double capacity_factor) {
    // TODO exercise 9.3: the capacity, then seat first choices before second choices.
    throw wb::NotImplemented("9.3", "lessons/09_mixture_of_experts/exercises.cpp");
}

}  // namespace lesson09
