#pragma once
// The six-token input of the book's chapter 3 (and of lessons 03-06):
// "Your journey starts with one step", each token a 3-dimensional embedding.
#include "lib/embeddings_file.hpp"

namespace wb {

inline Embeddings your_journey_starts_with_one_step() {
    return Embeddings{{"Your", "journey", "starts", "with", "one", "step"},
                      Tensor{{0.43f, 0.15f, 0.89f},    // Your     (x(1))
                             {0.55f, 0.87f, 0.66f},    // journey  (x(2))
                             {0.57f, 0.85f, 0.64f},    // starts   (x(3))
                             {0.22f, 0.58f, 0.33f},    // with     (x(4))
                             {0.77f, 0.25f, 0.10f},    // one      (x(5))
                             {0.05f, 0.80f, 0.55f}}};  // step     (x(6))
}

}  // namespace wb
