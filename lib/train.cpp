#include "lib/train.hpp"

#include <cmath>
#include <numbers>

#include <fmt/format.h>

#include "lib/errors.hpp"
#include "lib/optim.hpp"
#include "lib/progress.hpp"

namespace wb {

std::function<float(std::size_t)> step_decay(float lr, std::size_t steps) {
    return [lr, steps](std::size_t step) { return step < steps / 2 ? lr : lr / 10.0f; };
}

std::function<float(std::size_t)> warmup_cosine(float max_lr, std::size_t warmup_steps, std::size_t total_steps,
                                                float min_lr) {
    if (warmup_steps > total_steps)
        throw ValueError(fmt::format("warmup_cosine: warmup_steps ({}) must not exceed total_steps ({})", warmup_steps,
                                     total_steps));
    if (!(min_lr >= 0.0f) || !std::isfinite(max_lr) || !(min_lr <= max_lr))
        throw ValueError(fmt::format("warmup_cosine: needs 0 <= min_lr <= max_lr, finite, got min_lr {} and max_lr {}",
                                     min_lr, max_lr));
    return [=](std::size_t step) {
        const double max = max_lr, min = min_lr;
        if (step < warmup_steps) return static_cast<float>(max * static_cast<double>(step + 1) / warmup_steps);
        if (step >= total_steps) return min_lr;
        const double decay_ratio =
            static_cast<double>(step - warmup_steps) / static_cast<double>(total_steps - warmup_steps);
        const double coeff = 0.5 * (1.0 + std::cos(std::numbers::pi * decay_ratio));  // 1 -> 0
        return static_cast<float>(min + coeff * (max - min));
    };
}

TrainHistory train(Model& model, const NgramDataset& data, Generator& g, const TrainOptions& options) {
    if (data.size() == 0) throw ValueError("train: the training set is empty");
    if (options.batch_size == 0) throw ValueError("train: the batch size must be at least 1");
    if (data.block_size != model.block_size())
        throw ShapeError(fmt::format("train: the dataset's contexts have {} characters, the model reads {}",
                                     data.block_size, model.block_size()));
    SGD optimizer(model.parameters(), model.gradients());
    ProgressBar bar("training", options.steps);
    TrainHistory history;
    history.losses.reserve(options.steps);
    std::vector<std::size_t> Xb, Yb;
    for (std::size_t step = 0; step < options.steps; ++step) {
        const auto ix = g.randint(0, static_cast<std::int64_t>(data.size()), options.batch_size);
        data.gather(ix, Xb, Yb);
        model.forward(Xb);
        const float loss = model.loss(Yb);
        const float lr = options.learning_rate(step);
        if (!std::isfinite(loss))
            throw ValueError(fmt::format("training diverged: the loss is {} at step {} (learning rate {}); "
                                         "try a smaller learning rate",
                                         loss, step, lr));
        optimizer.zero_grad();
        model.backward();
        optimizer.step(lr);

        history.losses.push_back(loss);
        if (options.print_every != 0 && step % options.print_every == 0)
            bar.print(fmt::format("{:7d}/{:7d}: {:.4f}", step, options.steps, loss));
        if (options.progress) bar.update(step + 1, loss);
    }
    history.seconds = bar.seconds();
    if (options.progress) bar.finish();
    return history;
}

}  // namespace wb
