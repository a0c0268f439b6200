// Reference answers to lesson 03's exercises (the contract is in
// lessons/03_simplified_attention/exercises.hpp). Plain loops, as a student
// would write them first; lib's ops do the same with BLAS.
#include "exercises.hpp"

#include <algorithm>
#include <cmath>

#include "lib/tensor.hpp"

namespace lesson03 {

Tensor attention_scores(const Tensor& inputs, std::size_t query) {
    const std::size_t tokens = inputs.size(0), dim = inputs.size(1);
    Tensor scores = wb::zeros({tokens});
    for (std::size_t i = 0; i < tokens; ++i)
        for (std::size_t k = 0; k < dim; ++k) scores(i) += inputs(i, k) * inputs(query, k);
    return scores;
}

Tensor softmax_rows(const Tensor& scores) {
    const std::size_t rows = scores.size(0), cols = scores.size(1);
    Tensor weights = wb::zeros({rows, cols});
    for (std::size_t i = 0; i < rows; ++i) {
        float row_max = scores(i, 0);
        for (std::size_t j = 1; j < cols; ++j) row_max = std::max(row_max, scores(i, j));
        float total = 0.0f;
        for (std::size_t j = 0; j < cols; ++j) {
            weights(i, j) = std::exp(scores(i, j) - row_max);
            total += weights(i, j);
        }
        for (std::size_t j = 0; j < cols; ++j) weights(i, j) /= total;
    }
    return weights;
}

Tensor context_vectors(const Tensor& inputs) {
    const std::size_t tokens = inputs.size(0), dim = inputs.size(1);
    Tensor scores = wb::zeros({tokens, tokens});
    for (std::size_t i = 0; i < tokens; ++i) {
        const Tensor row = attention_scores(inputs, i);
        for (std::size_t j = 0; j < tokens; ++j) scores(i, j) = row(j);
    }
    const Tensor weights = softmax_rows(scores);
    Tensor context = wb::zeros({tokens, dim});
    for (std::size_t i = 0; i < tokens; ++i)
        for (std::size_t j = 0; j < tokens; ++j)
            for (std::size_t k = 0; k < dim; ++k) context(i, k) += weights(i, j) * inputs(j, k);
    return context;
}

}  // namespace lesson03
