#pragma once
// The capstone's five models, how each is trained, and the tables that compare them.
// main.cpp reads as the lesson; this file holds the parts it repeats per model.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "lib/char_rnn.hpp"
#include "lib/gpt.hpp"
#include "lib/mlp.hpp"
#include "lib/ngram_dataset.hpp"
#include "lib/sequence_dataset.hpp"
#include "lib/train.hpp"

namespace wb {

// Names a GPT step trains on (makemore's transformer uses 32, as here).
inline constexpr std::size_t kGptBatch = 32;

// The split, and the GPTs' rows: one name a row, padded to 16 (the longest name in
// names.txt has 15 letters, and its end '.' is the 16th target).
// train_sample: as many training names as dev has, for a train loss as cheap and as
// noisy as the dev loss.
struct Corpus {
    WordSplit split;
    std::vector<std::string> train_sample;
    SequenceDataset train_rows, dev_rows, test_rows, train_sample_rows;
};
Corpus make_corpus(const WordSplit& split);

// The same number of characters per step for every model: a GPT step's 32 names hold
// about 228 characters to predict; an MLP step gets that many windows.
struct Budget {
    std::size_t steps = 0;
    double tokens_per_step = 0.0;  // the mean over the training rows, times kGptBatch
    std::size_t mlp_batch = 0;     // tokens_per_step, rounded
};
Budget make_budget(const Corpus& corpus, std::size_t steps);

// One model of the comparison: an MLP over a fixed window, a GPT, or an RNN.
struct Contender {
    std::string name;         // in the tables
    std::string key;          // in the CSV file: mlp3, mlp8, gpt, moe, rnn
    std::string reads;        // what a prediction sees
    float max_lr = 1e-3f;     // the peak of the warm-up + cosine schedule
    std::unique_ptr<MLP> mlp;
    std::unique_ptr<GPTModel> gpt;
    std::unique_ptr<GPTModel> untrained;  // the GPT as initialised, to compare with
    std::unique_ptr<CharRNN> rnn;

    std::size_t num_parameters();
    std::size_t num_active_parameters();
};

// Lesson 02's MLP (3 characters, 11,897 parameters), an MLP over 8 characters with
// about as many parameters as the GPT, the dense GPT, the MoE GPT and lesson 13's
// tanh RNN as a language model (about the GPT's size), each initialised from its
// own Generator(seed), so adding a model changes none of the others.
std::vector<Contender> make_contenders(std::uint64_t seed);

struct Result {
    std::string name, key;
    std::size_t parameters = 0, active_parameters = 0;
    TrainHistory history;
    std::size_t best_step = 0;  // the weights kept: those of the lowest dev loss
    float train_loss = 0.0f, dev_loss = 0.0f, test_loss = 0.0f;
};

// AdamW with warm-up + cosine for plan.steps steps (batches drawn from
// Generator(seed)), evaluating on the dev split every eval_every steps and after the
// last; keeps the weights of the lowest dev loss and scores them on the train
// sample, dev and test.
Result train_contender(Contender& c, const Corpus& corpus, const Budget& plan, std::uint64_t seed,
                       std::size_t eval_every);

void print_architectures(std::vector<Contender>& contenders);
void print_comparison(const std::vector<Result>& results);
void print_speed(const std::vector<Result>& results);  // differs from run to run
// What the table says, in sentences: does attention help, do experts.
void print_verdict(const std::vector<Result>& results);
// `count` names from each model, side by side, each model from Generator(seed).
void print_samples(std::vector<Contender>& contenders, std::uint64_t seed, std::size_t count);
// The same character at the same position in two names: one vector going in, two
// different ones after the GPT's blocks.
void show_contextual_embeddings(std::vector<Contender>& contenders);

// model,step,characters,train_loss,dev_loss: a row per step (characters: trained on
// so far; dev_loss where evaluated)
void write_loss_csv(const std::string& path, const std::vector<Result>& results);
// Training (mean of each 1% of the steps) and dev loss against characters seen.
void write_loss_plot(const std::string& path, const std::vector<Result>& results);

}  // namespace wb
