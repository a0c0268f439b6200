#pragma once
// Lesson 09's exercises: the contract. Write the bodies in exercises.cpp, then
// check them with `./workbook check 09`. `./workbook run 09` shows the numbers
// yours should produce.
#include <cstddef>
#include <vector>

#include "lib/tensor.hpp"

namespace lesson09 {

using wb::Tensor;

// Each token's chosen experts and the weights its output mixes them with.
struct Route {
    std::vector<std::size_t> experts;  // (N, k) row-major: token t's j-th choice at t * k + j
    Tensor weights;                    // (N, k)
};

// Exercise 9.1: top-k routing. For each row of probs (N tokens, E experts) pick the
// k most probable experts, most probable first (as torch.topk does), and weight them
// by their probabilities renormalised to sum to 1.
//   probs row [0.1, 0.5, 0.3, 0.1], k = 2 -> experts {1, 2}, weights {0.625, 0.375}
Route top_k_routing(const Tensor& probs, std::size_t k);

// Exercise 9.2: the Switch Transformer's load-balancing loss,
//   alpha * E * sum over experts i of f_i * P_i
// where f_i is the fraction of the N tokens that chose expert i (a token with k
// choices counts once for each, so the f_i sum to k) and P_i is the mean of
// probs[:, i] over the tokens. experts is (N, k) row-major, as in Route.
//   an even router (every P_i = 1/E, every f_i = k/E) gives alpha * k
float load_balancing_loss(const Tensor& probs, const std::vector<std::size_t>& experts, std::size_t k, float alpha);

// Exercise 9.3: expert capacity. Each of num_experts experts takes at most
//   capacity = max(1, floor(capacity_factor * k * N / num_experts))
// assignments. Seat them in priority order: every token's first choice (tokens in
// order), then every token's second choice, and so on; an assignment whose expert
// is full is dropped. Return kept (N, k) row-major: true for the seated ones.
std::vector<bool> within_capacity(const std::vector<std::size_t>& experts, std::size_t k, std::size_t num_experts,
                                  double capacity_factor);

}  // namespace lesson09
