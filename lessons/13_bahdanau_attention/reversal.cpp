#include "lessons/13_bahdanau_attention/reversal.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "lib/lesson.hpp"
#include "lib/optim.hpp"
#include "lib/print.hpp"

namespace wb {

std::string reversed(const std::string& name) { return {name.rbegin(), name.rend()}; }

Seq2SeqConfig attention_config(std::size_t encoder_hidden) {
    return {.vocab_size = 27, .n_embd = 16, .encoder_hidden = encoder_hidden, .decoder_hidden = 64, .attention_size = 32};
}

std::size_t count_parameters(const Seq2SeqConfig& cfg) {
    const std::size_t V = cfg.vocab_size, E = cfg.n_embd, H = cfg.encoder_hidden, C = 2 * H, D = cfg.decoder_hidden,
                      A = cfg.attention_size;
    const auto cell = [](std::size_t in, std::size_t hidden) { return hidden * in + hidden * hidden + 2 * hidden; };
    return V * E + 2 * cell(E, H) + (C * D + D) + V * E + cell(E + C, D) + (A == 0 ? 0 : A * D + A * C + A) +
           (V * (D + C) + V);
}

Seq2SeqConfig bottleneck_config(const Seq2SeqConfig& attention) {
    Seq2SeqConfig best = attention;
    best.attention_size = 0;
    const std::size_t target = count_parameters(attention);
    std::size_t best_gap = SIZE_MAX;
    for (std::size_t D = attention.decoder_hidden; D <= 4 * attention.decoder_hidden; ++D) {
        Seq2SeqConfig c = best;
        c.decoder_hidden = D;
        const std::size_t n = count_parameters(c), gap = n > target ? n - target : target - n;
        if (gap < best_gap) {
            best_gap = gap;
            best.decoder_hidden = D;
        }
    }
    return best;
}

namespace {

Seq2SeqBatch batch_of(const std::vector<std::string>& names) {
    std::vector<std::string> targets;
    for (const std::string& n : names) targets.push_back(reversed(n));
    return make_seq2seq_batch(names, targets);
}

}  // namespace

float evaluate_reverser(Seq2Seq& model, const std::vector<std::string>& names) {
    double total = 0.0;
    std::size_t characters = 0;
    for (std::size_t start = 0; start < names.size(); start += 256) {
        const std::vector<std::string> chunk(names.begin() + static_cast<std::ptrdiff_t>(start),
                                             names.begin() + static_cast<std::ptrdiff_t>(std::min(names.size(), start + 256)));
        std::size_t n = 0;
        for (const std::string& name : chunk) n += name.size() + 1;  // the letters and the end '.'
        total += static_cast<double>(model.forward(batch_of(chunk))) * static_cast<double>(n);
        characters += n;
    }
    return static_cast<float>(total / static_cast<double>(characters));
}

ReverserRun train_reverser(Seq2Seq& model, const std::string& name, const std::vector<std::string>& train,
                           const std::vector<std::string>& dev, std::size_t steps, std::size_t batch, float max_lr,
                           std::uint64_t seed) {
    std::vector<Tensor*> params = model.parameters();
    AdamW adamw(params, model.gradients(), AdamWOptions{.weight_decay = 0.0}, decay_matrices(params));
    TrainOptions options;
    options.steps = steps;
    options.batch_size = batch;
    options.learning_rate = warmup_cosine(max_lr, steps / 20, steps, max_lr / 10.0f);
    options.print_every = std::max<std::size_t>(1, steps / 4);
    options.label = name;
    Generator batches(seed);
    std::vector<std::string> names;
    ReverserRun run;
    run.name = name;
    run.history = train_steps(
        train.size(), batches, options, adamw,
        [&](const std::vector<std::int64_t>& ix) {
            names.clear();
            std::size_t targets = 0;
            for (const std::int64_t i : ix) {
                names.push_back(train[static_cast<std::size_t>(i)]);
                targets += names.back().size() + 1;
            }
            return std::pair{model.forward(batch_of(names)), targets};
        },
        [&] { model.backward(); });
    run.dev_loss = evaluate_reverser(model, dev);
    note(fmt::format("dev loss per character (teacher forcing): {:.4f}", run.dev_loss));
    return run;
}

std::vector<LengthBucket> accuracy_by_length(Seq2Seq& model, const std::vector<std::string>& names) {
    std::vector<LengthBucket> buckets = {{2, 3}, {4, 4}, {5, 5}, {6, 6}, {7, 7}, {8, 8}, {9, 9}, {10, 11}, {12, 15}};
    for (const std::string& name : names) {
        const auto it = std::find_if(buckets.begin(), buckets.end(),
                                     [&](const LengthBucket& b) { return name.size() >= b.from && name.size() <= b.to; });
        if (it == buckets.end()) continue;  // names of 1 letter, or over 15
        ++it->names;
        if (model.translate(name, name.size() + 3).text == reversed(name)) ++it->correct;
    }
    return buckets;
}

std::size_t total_correct(const std::vector<LengthBucket>& buckets) {
    std::size_t n = 0;
    for (const LengthBucket& b : buckets) n += b.correct;
    return n;
}

void print_accuracy_table(const std::vector<std::string>& models, const std::vector<std::vector<LengthBucket>>& rows) {
    std::string header = fmt::format("  {:<9}{:>7}", "letters", "names");
    for (const std::string& m : models) header += fmt::format("{:>20}", m);
    note(header);
    std::vector<std::size_t> names(models.size(), 0);
    for (std::size_t k = 0; k < rows[0].size(); ++k) {
        const LengthBucket& b = rows[0][k];
        std::string line = fmt::format("  {:<9}{:>7}", b.from == b.to ? fmt::format("{}", b.from)
                                                                        : fmt::format("{}-{}", b.from, b.to),
                                       b.names);
        for (const auto& row : rows) line += fmt::format("{:>19.1f}%", 100.0 * row[k].accuracy());
        note(line);
    }
    std::size_t total = 0;
    for (const LengthBucket& b : rows[0]) total += b.names;
    std::string line = fmt::format("  {:<9}{:>7}", "all", total);
    for (const auto& row : rows)
        line += fmt::format("{:>19.1f}%", total == 0 ? 0.0 : 100.0 * static_cast<double>(total_correct(row)) /
                                                                static_cast<double>(total));
    note(line);
}

}  // namespace wb
