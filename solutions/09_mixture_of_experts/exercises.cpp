// Reference answers to lesson 09's exercises (the contract is in
// lessons/09_mixture_of_experts/exercises.hpp).
#include "exercises.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace lesson09 {

Route top_k_routing(const Tensor& probs, std::size_t k) {
    const std::size_t N = probs.size(0), E = probs.size(1);
    Route route{std::vector<std::size_t>(N * k), Tensor(wb::Shape{N, k})};
    std::vector<std::size_t> order(E);
    for (std::size_t t = 0; t < N; ++t) {
        std::iota(order.begin(), order.end(), 0);
        // most probable first; stable, so equal probabilities keep the lower expert first
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return probs(t, a) > probs(t, b); });
        float total = 0.0f;
        for (std::size_t j = 0; j < k; ++j) total += probs(t, order[j]);
        for (std::size_t j = 0; j < k; ++j) {
            route.experts[t * k + j] = order[j];
            route.weights(t, j) = probs(t, order[j]) / total;
        }
    }
    return route;
}

float load_balancing_loss(const Tensor& probs, const std::vector<std::size_t>& experts, std::size_t k, float alpha) {
    const std::size_t N = probs.size(0), E = probs.size(1);
    std::vector<double> f(E, 0.0), P(E, 0.0);
    for (const std::size_t e : experts) f[e] += 1.0 / static_cast<double>(N);  // k choices per token: sums to k
    for (std::size_t t = 0; t < N; ++t)
        for (std::size_t i = 0; i < E; ++i) P[i] += probs(t, i) / static_cast<double>(N);
    double loss = 0.0;
    for (std::size_t i = 0; i < E; ++i) loss += f[i] * P[i];
    return static_cast<float>(alpha * static_cast<double>(E) * loss);
}

std::vector<bool> within_capacity(const std::vector<std::size_t>& experts, std::size_t k, std::size_t num_experts,
                                  double capacity_factor) {
    const std::size_t N = experts.size() / k;
    const double share = capacity_factor * static_cast<double>(k) * static_cast<double>(N) / static_cast<double>(num_experts);
    const std::size_t capacity = std::max<std::size_t>(1, static_cast<std::size_t>(std::floor(share)));
    std::vector<bool> kept(experts.size(), false);
    std::vector<std::size_t> seated(num_experts, 0);
    for (std::size_t j = 0; j < k; ++j)  // first choices of all tokens, then second choices...
        for (std::size_t t = 0; t < N; ++t) {
            const std::size_t e = experts[t * k + j];
            if (seated[e] < capacity) {
                ++seated[e];
                kept[t * k + j] = true;
            }
        }
    return kept;
}

}  // namespace lesson09
