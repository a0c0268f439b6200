// Lesson 10's benchmark: training steps per second of the capstone's GPT (dense and
// with 8 experts) in C++ and in PyTorch, on this machine, in the same run.
//
//   ./workbook bench 10 [STEPS]      (200 by default; a few minutes: 36 runs, 24 of them start Python and torch)
//
// Both sides train the same model from the same initial weights (seed 123) on the
// same batches (32 names, torch.randint from a generator seeded 42) with the same
// AdamW (lr 5e-4, betas (0.9, 0.99), weight decay 0.01 on every parameter), through
// the same OpenBLAS; 10 untimed warm-up steps, then STEPS timed ones. PyTorch's side
// is benchmark_torch.py, run with /usr/bin/python3 when torch is installed.
//
// Each side runs in each of its thread settings, three times, alternating with the
// other (the machines are shared: a busy moment then hurts both alike); the best run
// of each setting counts, and the ratio compares each side's best setting. PyTorch's
// settings include OPENBLAS_NUM_THREADS=1: Debian's torch calls a pthreads OpenBLAS
// whose own threads otherwise fight torch's on a 2-core machine.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "lib/errors.hpp"
#include "lib/gpt.hpp"
#include "lib/lesson.hpp"
#include "lib/optim.hpp"
#include "lib/parallel.hpp"
#include "lib/python_script.hpp"
#include "lib/sequence_dataset.hpp"
#include "lib/train.hpp"
#include "lib/words.hpp"

using namespace wb;

namespace {

struct Measurement {
    std::string label;
    double steps_per_second = 0.0, tokens_per_second = 0.0;
    float final_loss = 0.0f;
};

Measurement best(Measurement a, const Measurement& b) {
    return b.steps_per_second > a.steps_per_second ? b : a;
}

GPTConfig config(bool moe) {
    return moe ? GPTConfig{.num_experts = 8, .top_k = 2, .expert_hidden = 128} : GPTConfig{};
}

Measurement cpp_run(const SequenceDataset& rows, bool moe, std::size_t steps, std::size_t threads) {
    set_parallel_threads(threads);
    Generator init(123), batches(42);
    GPTModel model(config(moe), init);
    AdamW adamw(model.parameters(), model.gradients(), {.beta1 = 0.9, .beta2 = 0.99, .eps = 1e-8, .weight_decay = 0.01});
    TrainOptions options;
    options.batch_size = 32;
    options.learning_rate = [](std::size_t) { return 5e-4f; };
    options.print_every = 0;
    options.progress = false;
    options.steps = 10;
    train(model, rows, batches, options, adamw);  // warm up: caches, page faults, BLAS's first calls
    options.steps = steps;
    const TrainHistory h = train(model, rows, batches, options, adamw);
    // the history keeps the cross-entropy; torch's script reports the loss it trained
    // on, which for the experts includes the balancing loss
    return {fmt::format("C++, {} thread{}", threads, threads == 1 ? "" : "s"),
            static_cast<double>(steps) / h.seconds, h.tokens_per_second(), h.losses.back() + model.aux_loss()};
}

// One of PyTorch's settings; steps_per_second 0 when torch is not there.
Measurement torch_run(bool moe, std::size_t steps, std::size_t threads, bool one_blas_thread, std::string& version) {
    std::vector<std::string> arguments = {WB_SOURCE_DIR "/data/names.txt", std::to_string(steps),
                                          std::to_string(threads)};
    if (moe) arguments.push_back("--moe");
    const auto lines = run_python(WB_SOURCE_DIR "/lessons/10_capstone/benchmark_torch.py", arguments,
                                  one_blas_thread ? "OPENBLAS_NUM_THREADS=1" : "");
    // torch.set_num_threads does not reach Debian's pthreads OpenBLAS: without the
    // variable, OpenBLAS starts its own threads whatever torch's count
    Measurement m{fmt::format("PyTorch, set_num_threads({}), OpenBLAS {}", threads,
                              one_blas_thread ? "1 thread" : "default"),
                  0.0, 0.0, 0.0f};
    if (const auto v = find_value(lines, "torch_version")) version = *v;
    const auto rate = find_value(lines, "torch_steps_per_second");
    const auto tokens = find_value(lines, "torch_tokens_per_second");
    const auto loss = find_value(lines, "torch_final_loss");
    if (rate && tokens && loss) m = {m.label, std::stod(*rate), std::stod(*tokens), std::stof(*loss)};
    return m;
}

void compare(const SequenceDataset& rows, bool moe, std::size_t steps) {
    heading(fmt::format("{}: {} steps of 32 names", moe ? "GPT with 8 experts, top-2" : "dense GPT", steps));
    const std::size_t cores = parallel_threads();
    std::vector<std::size_t> cpp_threads = {1};
    if (cores > 1) cpp_threads.push_back(cores);
    struct TorchSetting {
        std::size_t threads;
        bool one_blas_thread;
    };
    std::vector<TorchSetting> torch_settings = {{1, false}, {1, true}};
    if (cores > 1) torch_settings.insert(torch_settings.end(), {{cores, false}, {cores, true}});
    std::vector<Measurement> cpp(cpp_threads.size()), torch(torch_settings.size());
    std::string version;
    for (int run = 0; run < 3; ++run) {
        for (std::size_t i = 0; i < cpp_threads.size(); ++i)
            cpp[i] = best(cpp[i], cpp_run(rows, moe, steps, cpp_threads[i]));
        for (std::size_t i = 0; i < torch_settings.size(); ++i)
            torch[i] = best(torch[i], torch_run(moe, steps, torch_settings[i].threads,
                                                torch_settings[i].one_blas_thread, version));
    }
    set_parallel_threads(cores);
    const auto row = [](const Measurement& m) {
        if (m.steps_per_second == 0.0)
            note(fmt::format("  {:<50}  no result (is python3-torch installed? apt-get install python3-torch)", m.label));
        else
            note(fmt::format("  {:<50}{:>9.1f}{:>11.2f}{:>14.0f}{:>11.4f}", m.label, m.steps_per_second,
                             1e3 / m.steps_per_second, m.tokens_per_second, m.final_loss));
    };
    note(fmt::format("  {:<50}{:>9}{:>11}{:>14}{:>11}", "", "steps/s", "ms a step", "characters/s", "last loss"));
    for (const Measurement& m : cpp) row(m);
    for (const Measurement& m : torch) row(m);
    Measurement best_cpp, best_torch;
    for (const Measurement& m : cpp) best_cpp = best(best_cpp, m);
    for (const Measurement& m : torch) best_torch = best(best_torch, m);
    if (best_torch.steps_per_second == 0.0) return;
    note(fmt::format("ratio {:.2f}x: {} against {} (torch {})", best_cpp.steps_per_second / best_torch.steps_per_second,
                     best_cpp.label, best_torch.label, version));
    // the same model, weights and batches on both sides: the losses differ only by float rounding
    note(fmt::format("the last losses differ by {:.1e} (same model, same weights, same batches)",
                     std::abs(best_cpp.final_loss - best_torch.final_loss)));
}

}  // namespace

int main(int argc, char** argv) {
    return run_lesson([&] {
        std::size_t steps = 200;
        if (argc > 1) {
            const std::string text = argv[1];
            if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos || text.size() > 6 ||
                std::stoul(text) == 0)
                throw ValueError(fmt::format("STEPS '{}' is not a number of steps: give 1 to 999999 (200 by default)",
                                             text));
            steps = std::stoul(text);
        }
        section("The capstone's GPT: training steps per second, C++ against PyTorch");
        const SequenceDataset rows = build_sequences(split_words(read_words(WB_SOURCE_DIR "/data/names.txt"), 42).train, 16);
        compare(rows, false, steps);
        compare(rows, true, steps);
    });
}
