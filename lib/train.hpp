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
#include <string>
#include <utility>
#include <vector>

#include "lib/gpt.hpp"
#include "lib/model.hpp"
#include "lib/ngram_dataset.hpp"
#include "lib/optim.hpp"
#include "lib/random.hpp"
#include "lib/sequence_dataset.hpp"

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
    // Every eval_every steps (and after the last), record evaluate()'s loss, e.g.
    // on the dev set, for the loss curves (0 or no evaluate: never).
    std::size_t eval_every = 0;
    std::function<float()> evaluate;
    std::string label = "training";  // what the progress bar says
};

// The loss of every step (for a GPT its cross-entropy, without an MoE's balancing
// loss), the evaluations, and how long training took.
struct TrainHistory {
    std::vector<float> losses;
    std::vector<std::size_t> eval_steps;  // after how many steps each evaluation ran
    std::vector<float> eval_losses;
    std::size_t tokens = 0;  // targets trained on (padding not counted)
    std::vector<std::size_t> step_tokens;  // those of each step
    double seconds = 0.0;
    double tokens_per_second() const { return seconds > 0.0 ? static_cast<double>(tokens) / seconds : 0.0; }
};

// A learning rate of `lr` for the first half of `steps`, lr / 10 after.
std::function<float(std::size_t)> step_decay(float lr, std::size_t steps);

// nanoGPT's learning rate (train.py, get_lr):
//   lr(step) = max_lr * (step + 1) / warmup_steps                   step < warmup_steps
//            = min_lr + (1 + cos(pi * r)) / 2 * (max_lr - min_lr)   r = (step - warmup_steps) / (total_steps - warmup_steps)
//            = min_lr                                               step >= total_steps
// Why warm up: AdamW's first steps divide by a running size of the gradient that has
// seen only a few gradients, so they are erratic; small steps while it settles keep
// them from wrecking the initialisation. Why decay: late in training, smaller steps
// settle into the minimum instead of bouncing around it. Needs warmup_steps <=
// total_steps and 0 <= min_lr <= max_lr (ValueError naming the values otherwise).
std::function<float(std::size_t)> warmup_cosine(float max_lr, std::size_t warmup_steps, std::size_t total_steps,
                                                float min_lr);

// Trains `model` on `data` by minibatch SGD. A loss that is not finite stops
// training with an error naming the step, instead of going on with NaN weights.
TrainHistory train(Model& model, const NgramDataset& data, Generator& g, const TrainOptions& options);
// The same with another optimiser (AdamW for the capstone).
TrainHistory train(Model& model, const NgramDataset& data, Generator& g, const TrainOptions& options,
                   Optimizer& optimizer);
// A sequence model on whole names: each step draws batch_size rows.
TrainHistory train(GPTModel& model, const SequenceDataset& data, Generator& g, const TrainOptions& options,
                   Optimizer& optimizer);

// The loop under every train() above, for a model of another kind (lesson 13's
// encoder-decoders): each step draws batch_size row numbers below dataset_size,
// step_loss(ix) runs the forward on those rows and returns the loss and how many
// targets it averaged, backward() adds the gradients, and the optimiser steps.
using StepLoss = std::function<std::pair<float, std::size_t>(const std::vector<std::int64_t>& ix)>;
TrainHistory train_steps(std::size_t dataset_size, Generator& g, const TrainOptions& options, Optimizer& optimizer,
                         const StepLoss& step_loss, const std::function<void()>& backward);

// The mean loss per target character over a whole set, computed 256 rows at a time:
// chunk_loss(X, Y, rows) runs a model on one chunk and returns its mean loss.
using ChunkLoss = std::function<float(const std::vector<std::size_t>& X, const std::vector<std::int64_t>& Y,
                                      std::size_t rows)>;
float evaluate_in_chunks(const SequenceDataset& data, const ChunkLoss& chunk_loss);

// The mean cross-entropy per predicted character over every row of data (the
// balancing loss of experts left out), without touching the gradients.
float evaluate(GPTModel& model, const SequenceDataset& data);

}  // namespace wb
