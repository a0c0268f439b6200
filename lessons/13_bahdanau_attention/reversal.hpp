#pragma once
// Lesson 13's task and what it repeats per model: reversing names with an
// encoder-decoder, trained with teacher forcing, scored by greedy decoding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "lib/seq2seq.hpp"
#include "lib/train.hpp"

namespace wb {

// "emma" -> "amme": every output character comes from one input character, the
// first output from the last input, so the model has to find where to look.
std::string reversed(const std::string& name);

// The attention model's sizes, and the bottleneck model with a wider decoder in
// place of the attention's weights: the width whose parameter count comes closest.
Seq2SeqConfig attention_config(std::size_t encoder_hidden);
Seq2SeqConfig bottleneck_config(const Seq2SeqConfig& attention);
std::size_t count_parameters(const Seq2SeqConfig& cfg);

struct ReverserRun {
    std::string name;
    TrainHistory history;
    float dev_loss = 0.0f;  // teacher-forced, per character
};

// AdamW with warm-up + cosine, batches of `batch` training names drawn from
// Generator(seed), the loss printed four times.
ReverserRun train_reverser(Seq2Seq& model, const std::string& name, const std::vector<std::string>& train,
                           const std::vector<std::string>& dev, std::size_t steps, std::size_t batch, float max_lr,
                           std::uint64_t seed);

// Exact matches of greedy decoding, per bucket of input length.
struct LengthBucket {
    std::size_t from, to;  // lengths [from, to]
    std::size_t names = 0, correct = 0;
    double accuracy() const { return names == 0 ? 0.0 : static_cast<double>(correct) / static_cast<double>(names); }
};
std::vector<LengthBucket> accuracy_by_length(Seq2Seq& model, const std::vector<std::string>& names);
std::size_t total_correct(const std::vector<LengthBucket>& buckets);

// The table of both models side by side (the buckets of one call per model).
void print_accuracy_table(const std::vector<std::string>& models, const std::vector<std::vector<LengthBucket>>& rows);

// The teacher-forced loss per character over names (in batches of 256), without gradients.
float evaluate_reverser(Seq2Seq& model, const std::vector<std::string>& names);

}  // namespace wb
