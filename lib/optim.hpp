#pragma once
// The optimisers: what turns gradients into a step. SGD as the walkthroughs write
// it, and AdamW (Loshchilov & Hutter 2019) as torch.optim.AdamW computes it, which
// the capstone's models train with.
//
//   SGD:    p += -lr * grad
//   AdamW:  p *= 1 - lr * weight_decay                 (decay, apart from the gradient)
//           m  = beta1 * m + (1 - beta1) * grad         (a running mean of the gradient)
//           v  = beta2 * v + (1 - beta2) * grad^2       (and of its square)
//           p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
//
// AdamW's step per parameter is about lr whatever the gradient's scale, which is why
// one learning rate suits the embeddings, the attention and the experts alike.
#include <cstddef>
#include <vector>

#include "lib/tensor.hpp"

namespace wb {

class Optimizer {
public:
    // One gradient per parameter, same shapes (a mismatch names both shapes).
    Optimizer(std::vector<Tensor*> parameters, std::vector<Tensor*> gradients, const char* name);
    virtual ~Optimizer() = default;
    virtual void step(float lr) = 0;
    void zero_grad();

protected:
    std::vector<Tensor*> parameters_, gradients_;
};

class SGD : public Optimizer {
public:
    SGD(std::vector<Tensor*> parameters, std::vector<Tensor*> gradients);
    void step(float lr) override;
};

struct AdamWOptions {
    double beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 0.01;  // torch's defaults
};

class AdamW : public Optimizer {
public:
    // decay[i] false exempts parameter i from weight decay (empty: all decay);
    // options as torch checks them (eps, weight_decay >= 0, 0 <= beta < 1).
    AdamW(std::vector<Tensor*> parameters, std::vector<Tensor*> gradients, AdamWOptions options = {},
          std::vector<bool> decay = {});
    void step(float lr) override;  // lr finite and >= 0, else ValueError (the step is not counted)
    std::size_t steps() const { return t_; }

private:
    AdamWOptions options_;
    std::vector<bool> decay_;
    std::vector<Tensor> m_, v_;  // the running averages, one pair per parameter
    std::size_t t_ = 0;
};

// nanoGPT's choice of what decays: the parameters of two or more dimensions (the
// matrices of linear layers, the embedding tables), not biases or LayerNorm's scale
// and shift; pulling those towards 0 does not make the model simpler, only moves it.
std::vector<bool> decay_matrices(const std::vector<Tensor*>& parameters);

}  // namespace wb
