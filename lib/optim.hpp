#pragma once
// The optimisers: what a training step does with the gradients backward filled.
//
// SGD, as the walkthroughs write it:
//   for p in parameters: p.data += -lr * p.grad
// AdamW, torch.optim.AdamW, what GPT-2 and nanoGPT train with: a step per parameter
// scaled by the running size of its own gradients, and weight decay kept apart from
// the gradient.
#include <cstddef>
#include <vector>

#include "lib/tensor.hpp"

namespace wb {

// What a training loop needs of an optimiser, so one loop can drive SGD or AdamW.
class Optimizer {
public:
    virtual ~Optimizer() = default;
    // Updates every parameter from its gradient, with learning rate lr.
    virtual void step(float lr) = 0;
    // Sets every gradient to zero (each backward adds into them).
    virtual void zero_grad() = 0;
};

class SGD : public Optimizer {
public:
    // One gradient per parameter, same shapes (a mismatch names both shapes).
    SGD(std::vector<Tensor*> parameters, std::vector<Tensor*> gradients);
    void step(float lr) override;
    void zero_grad() override;

private:
    std::vector<Tensor*> parameters_, gradients_;
};

// torch.optim.AdamW's defaults.
struct AdamWOptions {
    float lr = 1e-3f;             // what step() uses; step(lr) takes a schedule's rate instead
    float beta1 = 0.9f;           // how much of the running mean of the gradient each step keeps
    float beta2 = 0.999f;         // the same for the running mean of the squared gradient
    float eps = 1e-8f;            // keeps the step finite where a gradient has been 0 so far
    float weight_decay = 0.01f;   // nanoGPT and GPT-2 use 0.1
};

// torch.optim.AdamW (Loshchilov and Hutter, "Decoupled Weight Decay Regularization").
// Step t (counted from 1), for each element p of a parameter with gradient g:
//
//   p = p * (1 - lr * weight_decay)        shrink towards 0, apart from the gradient
//   m = beta1 * m + (1 - beta1) * g         running mean of the gradient
//   v = beta2 * v + (1 - beta2) * g * g     running mean of its square
//   p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
//
// m and v start at 0, so early on they are too small by the factors 1 - beta^t; the
// divisions undo that. The step is about lr in size whatever the gradient's scale,
// because m / sqrt(v) is about +-1 where the gradient keeps its sign.
//
// Which parameters decay: decay[i] == false turns weight decay off for parameter i;
// an empty `decay` decays all (torch's single parameter group). nanoGPT decays the
// parameters of two or more dimensions (the matrices of linear layers and the
// embedding tables) and not the 1-D ones (biases, LayerNorm's weight and bias):
// pulling a bias or a LayerNorm gain towards 0 does not make the model simpler, it
// only moves it. decay_matrices() makes that vector.
//
// All parameters share one step count t (torch keeps one per parameter, the same
// number when every parameter gets a gradient at every step, as here).
class AdamW : public Optimizer {
public:
    // One gradient per parameter, same shapes (a mismatch names both shapes); options
    // as torch checks them (lr, eps, weight_decay >= 0, 0 <= beta < 1).
    AdamW(std::vector<Tensor*> parameters, std::vector<Tensor*> gradients, AdamWOptions options = {},
          std::vector<bool> decay = {});
    void step(float lr) override;
    void step() { step(options_.lr); }
    void zero_grad() override;
    // How many steps have been taken (t of the last step).
    std::size_t steps() const { return steps_; }

private:
    std::vector<Tensor*> parameters_, gradients_;
    AdamWOptions options_;
    std::vector<bool> decay_;
    std::vector<Tensor> exp_avg_, exp_avg_sq_;  // m and v of each parameter (torch's state names)
    std::size_t steps_ = 0;
};

// nanoGPT's choice of what decays: true for parameters of two or more dimensions.
std::vector<bool> decay_matrices(const std::vector<Tensor*>& parameters);

}  // namespace wb
