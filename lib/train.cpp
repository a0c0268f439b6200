#include "lib/train.hpp"

#include <cmath>
#include <numbers>

#include <fmt/format.h>

#include "lib/errors.hpp"
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
    // in double, as nanoGPT's Python computes it, rounded to float once
    return [=](std::size_t step) {
        const double max = max_lr, min = min_lr;
        if (step < warmup_steps) return static_cast<float>(max * static_cast<double>(step + 1) / warmup_steps);
        if (step >= total_steps) return min_lr;
        const double progress =
            static_cast<double>(step - warmup_steps) / static_cast<double>(total_steps - warmup_steps);
        const double cosine = 0.5 * (1.0 + std::cos(std::numbers::pi * progress));  // 1 down to 0
        return static_cast<float>(min + cosine * (max - min));
    };
}

namespace {

// The loop both kinds of model share. `step_loss(ix)` runs the forward on the rows
// ix and returns the loss and the number of targets; the model's backward and the
// optimiser follow.
template <typename StepLoss, typename Backward>
TrainHistory training_loop(std::size_t dataset_size, Generator& g, const TrainOptions& options, Optimizer& optimizer,
                           StepLoss step_loss, Backward backward) {
    if (dataset_size == 0) throw ValueError("train: the training set is empty");
    if (options.batch_size == 0) throw ValueError("train: the batch size must be at least 1");
    ProgressBar bar(options.label, options.steps);
    TrainHistory history;
    history.losses.reserve(options.steps);
    const bool evaluating = options.eval_every != 0 && options.evaluate;
    double eval_seconds = 0.0;  // evaluation is not training: left out of the speed
    for (std::size_t step = 0; step < options.steps; ++step) {
        const auto ix = g.randint(0, static_cast<std::int64_t>(dataset_size), options.batch_size);
        const float lr = options.learning_rate(step);
        std::pair<float, std::size_t> result;
        try {
            result = step_loss(ix);
        } catch (const ValueError& e) {  // e.g. NaN routing probabilities: say which step
            throw ValueError(fmt::format("training stopped at step {} (learning rate {}): {}", step, lr, e.what()));
        }
        const auto [loss, targets] = result;
        if (!std::isfinite(loss))
            throw ValueError(fmt::format("training diverged: the loss is {} at step {} (learning rate {}); "
                                         "try a smaller learning rate",
                                         std::isnan(loss) ? "nan" : fmt::format("{}", loss), step, lr));
        optimizer.zero_grad();
        backward();
        optimizer.step(lr);

        history.losses.push_back(loss);
        history.tokens += targets;
        history.step_tokens.push_back(targets);
        if (options.print_every != 0 && step % options.print_every == 0)
            bar.print(fmt::format("{:7d}/{:7d}: {:.4f}", step, options.steps, loss));
        if (evaluating && ((step + 1) % options.eval_every == 0 || step + 1 == options.steps)) {
            const double before = bar.seconds();
            history.eval_steps.push_back(step + 1);
            history.eval_losses.push_back(options.evaluate());
            eval_seconds += bar.seconds() - before;
        }
        if (options.progress) bar.update(step + 1, loss);
    }
    history.seconds = bar.seconds() - eval_seconds;
    if (options.progress) bar.finish();
    return history;
}

}  // namespace

TrainHistory train(Model& model, const NgramDataset& data, Generator& g, const TrainOptions& options,
                   Optimizer& optimizer) {
    if (data.block_size != model.block_size())
        throw ShapeError(fmt::format("train: the dataset's contexts have {} characters, the model reads {}",
                                     data.block_size, model.block_size()));
    std::vector<std::size_t> Xb, Yb;
    return training_loop(
        data.size(), g, options, optimizer,
        [&](const std::vector<std::int64_t>& ix) {
            data.gather(ix, Xb, Yb);
            model.forward(Xb);
            return std::pair{model.loss(Yb), Yb.size()};
        },
        [&] { model.backward(); });
}

TrainHistory train(Model& model, const NgramDataset& data, Generator& g, const TrainOptions& options) {
    SGD optimizer(model.parameters(), model.gradients());
    return train(model, data, g, options, optimizer);
}

TrainHistory train(GPTModel& model, const SequenceDataset& data, Generator& g, const TrainOptions& options,
                   Optimizer& optimizer) {
    std::vector<std::size_t> Xb;
    std::vector<std::int64_t> Yb;
    return training_loop(
        data.size(), g, options, optimizer,
        [&](const std::vector<std::int64_t>& ix) {
            data.gather(ix, Xb, Yb);
            model.forward(Xb, ix.size(), data.block_size);
            // the history keeps the cross-entropy, as evaluate() reports it; an MoE model's
            // balancing loss (about 0.08 here) is trained on but is not a loss of predictions
            const float total = model.loss(Yb);
            return std::pair{std::isfinite(total) ? model.cross_entropy() : total, count_targets(Yb)};
        },
        [&] { model.backward(); });
}

TrainHistory train_steps(std::size_t dataset_size, Generator& g, const TrainOptions& options, Optimizer& optimizer,
                         const StepLoss& step_loss, const std::function<void()>& backward) {
    return training_loop(dataset_size, g, options, optimizer, step_loss, backward);
}

float evaluate_in_chunks(const SequenceDataset& data, const ChunkLoss& chunk_loss) {
    if (data.size() == 0) throw ValueError("evaluate: the dataset is empty");
    const std::size_t chunk = 256, T = data.block_size;
    double total = 0.0;
    std::vector<std::size_t> X;
    std::vector<std::int64_t> Y;
    for (std::size_t start = 0; start < data.size(); start += chunk) {
        const std::size_t end = std::min(data.size(), start + chunk);
        X.assign(data.X.begin() + static_cast<std::ptrdiff_t>(start * T), data.X.begin() + static_cast<std::ptrdiff_t>(end * T));
        Y.assign(data.Y.begin() + static_cast<std::ptrdiff_t>(start * T), data.Y.begin() + static_cast<std::ptrdiff_t>(end * T));
        // a chunk's mean, weighted by its targets: the mean over every character
        total += static_cast<double>(chunk_loss(X, Y, end - start)) * static_cast<double>(count_targets(Y));
    }
    return static_cast<float>(total / static_cast<double>(data.num_targets));
}

float evaluate(GPTModel& model, const SequenceDataset& data) {
    return evaluate_in_chunks(data, [&](const std::vector<std::size_t>& X, const std::vector<std::int64_t>& Y,
                                        std::size_t rows) {
        model.forward(X, rows, data.block_size);
        model.loss(Y);
        return model.cross_entropy();  // without the experts' balancing loss
    });
}

}  // namespace wb
