#pragma once
// Stochastic gradient descent as the walkthroughs write it:
//   for p in parameters: p.data += -lr * p.grad
#include <vector>

#include "lib/tensor.hpp"

namespace wb {

class SGD {
public:
    // One gradient per parameter, same shapes (a mismatch names both shapes).
    SGD(std::vector<Tensor*> parameters, std::vector<Tensor*> gradients);
    void step(float lr);
    void zero_grad();

private:
    std::vector<Tensor*> parameters_, gradients_;
};

}  // namespace wb
