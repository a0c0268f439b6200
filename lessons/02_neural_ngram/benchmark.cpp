// Lesson 02's benchmark: training steps per second of makemore's MLP in C++ and
// in PyTorch, on this machine, in the same run.
//
//   ./workbook bench 02 [STEPS]
//
// Both sides train the same model (11,897 parameters) on the same split with the
// same batch size (32) and learning rate, through the same OpenBLAS. PyTorch's
// side is benchmark_torch.py, run with /usr/bin/python3 when torch is installed.
// Each side runs on one thread and on all the machine's cores (torch.set_num_threads),
// three times each, alternating; the best run counts (the machines are shared).
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "lib/kernels.hpp"
#include "lib/lesson.hpp"
#include "lib/mlp.hpp"
#include "lib/ngram_dataset.hpp"
#include "lib/parallel.hpp"
#include "lib/python_script.hpp"
#include "lib/train.hpp"
#include "lib/words.hpp"

using namespace wb;

namespace {

double cpp_steps_per_second(const NgramDataset& data, std::size_t steps, std::size_t threads) {
    set_parallel_threads(threads);
    Generator g(2147483647);
    MLP model(MLPConfig{}, g);
    TrainOptions options;
    options.steps = steps;
    options.print_every = 0;
    options.progress = false;
    train(model, data, g, options);  // warm up: caches, page faults, BLAS's first calls
    return static_cast<double>(steps) / train(model, data, g, options).seconds;
}

// The time of one step's six matrix products alone, with the MLP's shapes, on one
// core: the arithmetic no framework can remove.
double blas_seconds_per_step() {
    const std::size_t B = 32, K = 30, H = 200, V = 27, reps = 20'000;
    std::vector<float> emb(B * K, 0.1f), W1(K * H, 0.01f), h(B * H), W2(H * V, 0.02f), logits(B * V), dW2(H * V),
        dh(B * H), dW1(K * H), demb(B * K);
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t r = 0; r < reps; ++r) {
        detail::gemm(false, false, B, H, K, emb.data(), W1.data(), h.data(), 0.0f);
        detail::gemm(false, false, B, V, H, h.data(), W2.data(), logits.data(), 0.0f);
        detail::gemm(true, false, H, V, B, h.data(), logits.data(), dW2.data(), 1.0f);
        detail::gemm(false, true, B, H, V, logits.data(), W2.data(), dh.data(), 0.0f);
        detail::gemm(true, false, K, H, B, emb.data(), dh.data(), dW1.data(), 1.0f);
        detail::gemm(false, true, B, K, H, dh.data(), W1.data(), demb.data(), 0.0f);
    }
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / reps;
}

// Runs PyTorch's side; 0 when torch is not there. `version` gets torch's own report.
double torch_steps_per_second(std::size_t steps, std::size_t threads, std::string& version) {
    const auto lines = run_python(WB_SOURCE_DIR "/lessons/02_neural_ngram/benchmark_torch.py",
                                  {WB_SOURCE_DIR "/data/names.txt", std::to_string(steps), std::to_string(threads)});
    if (const auto v = find_value(lines, "torch_version")) version = *v;
    const auto rate = find_value(lines, "torch_steps_per_second");
    return rate ? std::stod(*rate) : 0.0;
}

std::string threads_label(std::size_t threads) { return threads == 1 ? "1 thread" : fmt::format("{} threads", threads); }

}  // namespace

int main(int argc, char** argv) {
    return run_lesson([&] {
        const std::size_t steps = argc > 1 ? std::stoul(argv[1]) : 20'000;
        const std::size_t cores = parallel_threads();
        section(fmt::format("makemore's MLP: training steps per second ({} steps, batch 32)", steps));
        const NgramDataset data = build_dataset(split_words(read_words(WB_SOURCE_DIR "/data/names.txt"), 42).train, 3);
        const std::array<std::size_t, 2> thread_counts{1, cores};
        std::array<double, 2> cpp{}, torch{};
        std::string version;
        for (int run = 0; run < 3; ++run)  // alternating, so a busy moment hurts both sides alike
            for (std::size_t i = 0; i < thread_counts.size(); ++i) {
                cpp[i] = std::max(cpp[i], cpp_steps_per_second(data, steps, thread_counts[i]));
                torch[i] = std::max(torch[i], torch_steps_per_second(steps, thread_counts[i], version));
            }
        for (std::size_t i = 0; i < thread_counts.size(); ++i)
            note(fmt::format("C++      {:>9.0f} steps/s ({:.1f} us a step) on {}", cpp[i], 1e6 / cpp[i],
                             threads_label(thread_counts[i])));
        note(fmt::format("         the six sgemm calls alone take {:.1f} us a step on one core",
                         blas_seconds_per_step() * 1e6));
        if (torch[0] == 0.0) {
            note("PyTorch  not measured: /usr/bin/python3 with torch is not installed (apt-get install python3-torch)");
            return;
        }
        for (std::size_t i = 0; i < thread_counts.size(); ++i)
            note(fmt::format("PyTorch  {:>9.0f} steps/s ({:.1f} us a step) on {} (torch {})", torch[i],
                             1e6 / torch[i], threads_label(thread_counts[i]), version));
        const double best_cpp = std::max(cpp[0], cpp[1]), best_torch = std::max(torch[0], torch[1]);
        note(fmt::format("ratio    {:.2f}x (C++ / PyTorch, each at its best)", best_cpp / best_torch));
        note(fmt::format("         {:.2f}x on one thread each", cpp[0] / torch[0]));
    });
}
