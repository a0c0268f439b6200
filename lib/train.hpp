#pragma once
// The training loop of the n-gram lessons, as makemore part 2 writes it:
//
//   for i in range(steps):
//       ix = torch.randint(0, Xtr.shape[0], (batch_size,), generator=g)   # minibatch
//       logits = model(Xtr[ix]); loss = F.cross_entropy(logits, Ytr[ix])   # forward
//       for p in parameters: p.grad = None
//       loss.backward()                                                     # backward
//       for p in parameters: p.data += -lr(i) * p.grad                      # update
//
// Same seed, same batches, same result, on every run.
#include <cstddef>
#include <functional>
#include <vector>

#include "lib/model.hpp"
#include "lib/ngram_dataset.hpp"
#include "lib/random.hpp"

namespace wb {

struct TrainOptions {
    std::size_t steps = 200'000;
    std::size_t batch_size = 32;
    // The learning rate of each step (makemore: 0.1, then 0.01 for the second half).
    std::function<float(std::size_t step)> learning_rate = [](std::size_t) { return 0.1f; };
    // Print "   step/  steps: loss" every this many steps, as makemore does (0: never).
    std::size_t print_every = 10'000;
    // Draw a progress bar on a terminal.
    bool progress = true;
};

// The loss of every step, and how long training took.
struct TrainHistory {
    std::vector<float> losses;
    double seconds = 0.0;
};

// A learning rate of `lr` for the first half of `steps`, lr / 10 after.
std::function<float(std::size_t)> step_decay(float lr, std::size_t steps);

// nanoGPT's learning rate (train.py, get_lr): a linear warm-up over the first
// warmup_steps steps, from max_lr / warmup_steps at step 0 to max_lr at step
// warmup_steps - 1; then half a cosine, from max_lr at step warmup_steps down to
// min_lr at step total_steps; min_lr after that.
//
//   lr(step) = max_lr * (step + 1) / warmup_steps                   step < warmup_steps
//            = min_lr + (1 + cos(pi * r)) / 2 * (max_lr - min_lr)   r = (step - warmup_steps) / (total_steps - warmup_steps)
//            = min_lr                                               step >= total_steps
//
// Why warm up: AdamW's first steps divide by a running size of the gradient that
// has seen only a few gradients, so they are erratic; small steps while it settles
// keep them from wrecking the initialisation. Why decay: late in training, smaller
// steps settle into the minimum instead of bouncing around it.
// Computed in double as Python does, rounded to float once. Needs warmup_steps <=
// total_steps and 0 <= min_lr <= max_lr (ValueError naming the values otherwise).
std::function<float(std::size_t)> warmup_cosine(float max_lr, std::size_t warmup_steps, std::size_t total_steps,
                                                float min_lr);

// Trains `model` on `data` by minibatch SGD. A loss that is not finite stops
// training with an error naming the step, instead of going on with NaN weights.
TrainHistory train(Model& model, const NgramDataset& data, Generator& g, const TrainOptions& options);

}  // namespace wb
